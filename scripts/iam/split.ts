// IAM's size limit: a customer managed policy holds at most 6,144 characters, white space not
// counted (IAM User Guide, "IAM and AWS STS quotas"). A larger document is cut into numbered
// documents, each attached as its own managed policy; statements keep their order, so a change moves
// as few statements between documents as it can.
import type { Condition, PolicyDocument, Statement } from './types';

export const MANAGED_POLICY_LIMIT = 6144;

/** The characters IAM counts. */
export function policySize(doc: PolicyDocument): number {
  return JSON.stringify(doc).replace(/\s+/g, '').length;
}

const documentOf = (statements: readonly Statement[]): PolicyDocument => ({ Version: '2012-10-17', Statement: statements });

/**
 * A statement too large for a document of its own, halved along its longest list: its resources, or
 * a condition's values. Either way the halves allow together what the whole did: resources and
 * StringEquals/StringLike values are alternatives, and a Route 53 change batch of this app names one
 * record (one resource, one change), so its ForAllValues name list can be cut too.
 */
function halves(statement: Statement): [Statement, Statement] | undefined {
  let longest: { size: number; cut: (take: (list: readonly string[]) => readonly string[]) => Statement } | undefined;
  if (statement.Resource.length > 1) {
    longest = { size: statement.Resource.join().length, cut: (take) => ({ ...statement, Resource: take(statement.Resource) }) };
  }
  for (const [op, keys] of Object.entries(statement.Condition ?? {})) {
    for (const [key, value] of Object.entries(keys)) {
      if (typeof value === 'string' || value.length < 2 || (longest && value.join().length <= longest.size)) continue;
      longest = {
        size: value.join().length,
        cut: (take) => ({ ...statement, Condition: { ...statement.Condition, [op]: { ...keys, [key]: take(value) } } as Condition }),
      };
    }
  }
  if (!longest) return undefined;
  const half = (list: readonly string[]) => Math.ceil(list.length / 2);
  return [longest.cut((list) => list.slice(0, half(list))), longest.cut((list) => list.slice(half(list)))];
}

function fitStatement(statement: Statement, limit: number): Statement[] {
  if (policySize(documentOf([statement])) <= limit) return [statement];
  const parts = halves(statement);
  if (!parts) throw new Error(`statement ${statement.Sid} alone exceeds ${limit} characters and cannot be cut`);
  return parts.flatMap((part) => fitStatement(part, limit));
}

/** The document as it is when it fits, else numbered documents that each fit. */
export function splitPolicy(doc: PolicyDocument, limit = MANAGED_POLICY_LIMIT): PolicyDocument[] {
  if (policySize(doc) <= limit) return [doc];
  const statements = doc.Statement.flatMap((statement) => {
    const parts = fitStatement(statement, limit);
    return parts.length === 1 ? parts : parts.map((part, i) => ({ ...part, Sid: `${statement.Sid}${i + 1}` }));
  });
  const documents: Statement[][] = [[]];
  for (const statement of statements) {
    const current = documents[documents.length - 1]!;
    if (current.length && policySize(documentOf([...current, statement])) > limit) documents.push([statement]);
    else current.push(statement);
  }
  return documents.map(documentOf);
}

/**
 * AWS naming rules the app's inputs must meet, each returning what is wrong (or undefined), so
 * a config AWS would refuse at apply is refused at synth with the rule's name.
 */

/**
 * S3 general purpose bucket naming rules (Amazon S3 User Guide, "General purpose bucket naming
 * rules"): 3-63 characters of lowercase letters, digits, dots and hyphens, starting and ending
 * with a letter or digit; no two adjacent dots; not an IP address; none of the reserved prefixes
 * and suffixes.
 */
export function s3BucketProblem(name: string): string | undefined {
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name)) {
    return 'must be 3-63 lowercase letters, digits, dots or hyphens, starting and ending with a letter or digit (S3 bucket naming rules)';
  }
  if (name.includes('..')) return 'must not contain two adjacent dots (S3 bucket naming rules)';
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return 'must not be formatted as an IP address (S3 bucket naming rules)';
  const prefix = ['xn--', 'sthree-', 'amzn-s3-demo-'].find((p) => name.startsWith(p));
  if (prefix) return `must not start with the reserved prefix "${prefix}" (S3 bucket naming rules)`;
  const suffix = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'].find((s) => name.endsWith(s));
  if (suffix) return `must not end with the reserved suffix "${suffix}" (S3 bucket naming rules)`;
  return undefined;
}

/** A key prefix that joins with "/" into clean keys: no empty, "." or ".." segment. */
export function s3KeyPrefixProblem(prefix: string): string | undefined {
  if (!/^[A-Za-z0-9!_.*'()/-]{1,200}$/.test(prefix))
    return "must be 1-200 characters of letters, digits and !_.*'()/- (S3 safe key characters)";
  if (prefix.startsWith('/') || prefix.endsWith('/')) return 'must not start or end with "/" (the state key adds its own)';
  const segments = prefix.split('/');
  if (segments.includes('')) return 'must not contain "//" (an empty key segment)';
  if (segments.some((s) => s === '.' || s === '..')) return 'must not contain "." or ".." segments';
  return undefined;
}

/** ALB rule conditions allow five wildcards (`*` and `?`) across all their values (ELB quotas, "Wildcards per rule"). */
export const WILDCARDS_PER_RULE = 5;

export function wildcards(pattern: string): number {
  return (pattern.match(/[*?]/g) ?? []).length;
}

/**
 * A request path as browsers and the ALB send it: absolute, with no "." or ".." segment and no
 * empty one. A browser resolves dot segments before sending, so a rule for a path that keeps
 * them never matches; the ALB compares the path as received.
 */
export function pathProblem(path: string): string | undefined {
  const segments = path.slice(1).split('/');
  if (segments.some((s) => s === '.' || s === '..'))
    return 'must not contain "." or ".." segments: browsers remove them before sending, so the path would never match';
  if (path.includes('//')) return 'must not contain "//": an empty segment that browsers and servers normalize differently';
  if (wildcards(path) > WILDCARDS_PER_RULE)
    return `has ${wildcards(path)} wildcards but an ALB rule allows ${WILDCARDS_PER_RULE} across its conditions`;
  return undefined;
}

/** An ALB host-header condition value is at most 128 characters (ELB API, HostHeaderConditionConfig). */
export const MAX_HOST_CONDITION = 128;

/** ELB: "A load balancer name cannot begin with internal-". */
export function albNameProblem(name: string): string | undefined {
  return name.startsWith('internal-') ? `would name the ALB "${name}", and ALB names must not begin with "internal-"` : undefined;
}

import { Checker, checkHostname, duplicates, withoutExplainedMissing } from './checker';
import { ConfigError } from './errors';
import { PATTERNS } from './patterns';
import { checkStrings } from './strings';
import { albNameProblem } from './aws-names';
import type { CentralAuthConfig } from './types';
import { checkIdentityProviders } from './identity-providers';
import { checkSignIn } from './validate-sign-in';
import { arnPartitionProblem } from './aws-rules';
import { checkApps } from './validate-apps';
import { checkMachineClients } from './validate-machine-access';
import { checkVerifier } from './sections/verifier';
import { checkNlb } from './validate-nlb';
import {
  checkAlb,
  checkCognito,
  checkEks,
  checkGrafana,
  checkQuotaSettings,
  checkRouter,
  checkSession,
  checkState,
  checkSuppressions,
  checkWaf,
  checkAlarms,
} from './validate-settings';

export const ROOT_KEYS = [
  'environment',
  'region',
  'zoneName',
  'vpcId',
  'publicSubnetIds',
  'clusterName',
  'nlb',
  'eks',
  'grafana',
  'router',
  'cognito',
  'session',
  'alb',
  'certificates',
  'state',
  'apps',
  'machineClients',
  'waf',
  'verifier',
  'alarms',
  'suppressions',
  'quotas',
];

/** Where the config's paths are judged from. */
export interface ValidateOptions {
  /**
   * The synth output folder, which state.directory must stay out of.
   * @default - $CDKTF_OUTDIR, else 'cdktf.out'
   */
  readonly outdir?: string;
  /**
   * The project root, which files named in the config (SAML metadata) are relative to.
   * @default - the current directory
   */
  readonly root?: string;
}

/** The apps that accept bearer tokens, as written (the apps' own checks judge them). */
function bearerAppsOf(apps: unknown): { host: string; publicPaths: unknown[] }[] {
  if (!Array.isArray(apps)) return [];
  return apps
    .filter((a) => typeof a === 'object' && a !== null && (a as { bearerTokens?: unknown }).bearerTokens !== undefined)
    .map((a) => {
      const app = a as { host?: unknown; publicPaths?: unknown };
      return { host: String(app.host), publicPaths: Array.isArray(app.publicPaths) ? app.publicPaths : [] };
    });
}

/**
 * Checks the whole config before any construct is made, so one run reports every problem
 * and a failed synth writes nothing.
 */
/** Every ARN anywhere in the config must be of the region's partition (arn:aws-cn:… only in cn-* regions). */
function checkArnPartitions(c: Checker, raw: Record<string, unknown>, region: string): void {
  const walk = (field: string, value: unknown, depth: number): void => {
    if (depth > 12) return;
    if (typeof value === 'string' && value.startsWith('arn:')) {
      const problem = arnPartitionProblem(value, region);
      if (problem) c.fail(field, value, problem);
    } else if (Array.isArray(value)) value.forEach((v, i) => walk(`${field}[${i}]`, v, depth + 1));
    else if (value !== null && typeof value === 'object')
      for (const [k, v] of Object.entries(value)) walk(field === '' ? k : `${field}.${k}`, v, depth + 1);
  };
  walk('', raw, 0);
}

export function validateConfig(raw: unknown, source = 'config', options: ValidateOptions = {}): CentralAuthConfig {
  const c = new Checker();
  if (!c.isObject('(root)', raw)) throw new ConfigError(c.problems, source);
  checkStrings(c, raw);
  c.knownKeys('', raw, ROOT_KEYS);

  if (
    c.string(
      'environment',
      raw.environment,
      PATTERNS.environment,
      'must be 2-16 lowercase letters, digits or hyphens, starting with a letter (it prefixes AWS names limited to 32 characters)',
    )
  ) {
    const problem = albNameProblem(`${raw.environment}-central-auth`);
    if (problem) c.fail('environment', raw.environment, problem);
  }
  c.string('region', raw.region, PATTERNS.region, 'must be an AWS region code such as "eu-west-1"');
  const zoneOk = c.string('zoneName', raw.zoneName, /^.+$/, '') && checkHostname(c, 'zoneName', raw.zoneName as string);
  const zone = zoneOk ? (raw.zoneName as string) : undefined;
  c.string('vpcId', raw.vpcId, PATTERNS.vpcId, 'must be a VPC id such as "vpc-0123456789abcdef0"');
  if (c.array('publicSubnetIds', raw.publicSubnetIds)) {
    const subnets = raw.publicSubnetIds;
    if (subnets.length < 2)
      c.fail('publicSubnetIds', subnets, 'must list at least two subnets in different Availability Zones (an ALB needs two)');
    subnets.forEach((s, i) =>
      c.string(`publicSubnetIds[${i}]`, s, PATTERNS.subnetId, 'must be a subnet id such as "subnet-0123456789abcdef0"'),
    );
    duplicates(subnets).forEach((s) => c.fail('publicSubnetIds', s, 'is listed twice'));
  }
  c.string(
    'clusterName',
    raw.clusterName,
    PATTERNS.clusterName,
    'must be an EKS cluster name (1-100 letters, digits, hyphens or underscores, starting with a letter or digit)',
  );

  checkNlb(c, raw.nlb);
  checkEks(c, raw.eks);
  checkGrafana(c, raw.grafana);
  checkRouter(c, raw.router);
  const groups = checkCognito(c, raw.cognito);
  if (typeof raw.cognito === 'object' && raw.cognito !== null && !Array.isArray(raw.cognito))
    checkIdentityProviders(
      c,
      raw.cognito as Record<string, unknown>,
      groups,
      options.root ?? process.cwd(),
      typeof raw.region === 'string' ? raw.region : undefined,
    );
  if (typeof raw.cognito === 'object' && raw.cognito !== null && !Array.isArray(raw.cognito)) {
    const appHosts = new Set(
      (Array.isArray(raw.apps) ? raw.apps : []).map((a) =>
        typeof a === 'object' && a !== null ? (a as { host?: unknown }).host : undefined,
      ),
    );
    checkSignIn(c, raw.cognito as Record<string, unknown>, {
      zone,
      appHosts: appHosts as Set<string>,
      root: options.root ?? process.cwd(),
    });
  }
  const signoutPath = checkSession(c, raw.session);
  checkAlb(c, raw.alb);
  checkWaf(c, raw.waf, raw.region, bearerAppsOf(raw.apps));
  checkAlarms(c, raw.alarms, raw.region);
  checkVerifier(c, raw.verifier);
  c.oneOf('certificates', raw.certificates, ['wildcard', 'per-host', 'grouped']);
  checkQuotaSettings(c, raw.quotas);
  checkState(c, raw.state, options.outdir ?? (process.env.CDKTF_OUTDIR || 'cdktf.out'));
  const scopes = checkApps(c, raw.apps, { zone, signoutPath, groups });
  checkMachineClients(c, raw.machineClients, scopes);
  checkSuppressions(c, raw.suppressions);
  if (typeof raw.region === 'string' && PATTERNS.region.test(raw.region)) checkArnPartitions(c, raw, raw.region);

  if (c.problems.length > 0) throw new ConfigError(withoutExplainedMissing(c.problems), source);
  return raw as unknown as CentralAuthConfig;
}

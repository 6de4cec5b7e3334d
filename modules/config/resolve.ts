import { DEFAULT_QUOTAS, type Quotas } from '../quotas';
import type { AppConfig, CentralAuthConfig, CognitoGroupConfig, GrafanaRole, PolicySuppression, StateConfig, Workload } from './types';

/** An app with every default applied. */
export interface ResolvedApp {
  readonly name: string;
  readonly host: string;
  readonly access: AppConfig['access'];
  readonly publicPaths: readonly string[];
  readonly onUnauthenticated: 'authenticate' | 'deny';
  readonly workload: Workload;
}

/** The config with every default applied, so stacks never re-derive defaults. */
export interface ResolvedConfig {
  readonly environment: string;
  readonly region: string;
  readonly zoneName: string;
  readonly vpcId: string;
  readonly publicSubnetIds: readonly string[];
  readonly clusterName: string;
  readonly cognito: {
    readonly domainPrefix: string;
    readonly mfa: 'OFF' | 'OPTIONAL' | 'ON';
    readonly passwordMinimumLength: number;
    readonly accessTokenValidityMinutes: number;
    readonly refreshTokenValidityHours: number;
    readonly deletionProtection: boolean;
    readonly groups: readonly (CognitoGroupConfig & { readonly grafanaRole?: GrafanaRole })[];
  };
  readonly session: { readonly cookieName: string; readonly timeoutSeconds: number; readonly signoutPath: string };
  readonly alb: {
    readonly deletionProtection: boolean;
    readonly accessLogs?: { readonly bucket: string; readonly prefix?: string };
    readonly webAclArn?: string;
    readonly idleTimeoutSeconds: number;
  };
  readonly certificates: 'wildcard' | 'per-host' | 'grouped';
  readonly quotas: Quotas;
  readonly state: StateConfig;
  /** Sorted by host, so output never depends on list order in the file. */
  readonly apps: readonly ResolvedApp[];
  readonly suppressions: readonly PolicySuppression[];
}

export function resolveConfig(config: CentralAuthConfig): ResolvedConfig {
  const { cognito, session = {}, alb = {}, certificates = 'wildcard', state = { backend: 'local' }, suppressions = [], quotas = {} } = config;
  const {
    mfa = 'OPTIONAL',
    passwordMinimumLength = 12,
    accessTokenValidityMinutes = 60,
    refreshTokenValidityHours = 12,
    deletionProtection = true,
    groups = [],
  } = cognito;
  const { cookieName = 'AWSELBAuthSessionCookie', timeoutSeconds = 28800, signoutPath = '/_auth/signout' } = session;
  const { deletionProtection: albDeletionProtection = true, idleTimeoutSeconds = 60, accessLogs, webAclArn } = alb;
  return {
    environment: config.environment,
    region: config.region,
    zoneName: config.zoneName,
    vpcId: config.vpcId,
    publicSubnetIds: [...config.publicSubnetIds],
    clusterName: config.clusterName,
    cognito: { domainPrefix: cognito.domainPrefix, mfa, passwordMinimumLength, accessTokenValidityMinutes, refreshTokenValidityHours, deletionProtection, groups: [...groups] },
    session: { cookieName, timeoutSeconds, signoutPath },
    alb: { deletionProtection: albDeletionProtection, idleTimeoutSeconds, accessLogs, webAclArn },
    certificates,
    quotas: { ...DEFAULT_QUOTAS, ...quotas },
    state,
    apps: config.apps
      .map(({ name, host, access, publicPaths = [], onUnauthenticated = 'authenticate', workload = 'none' }) => ({
        name,
        host,
        access,
        publicPaths: [...publicPaths],
        onUnauthenticated,
        workload,
      }))
      .sort((a, b) => a.host.localeCompare(b.host)),
    suppressions: [...suppressions],
  };
}

export function protectedApps(config: ResolvedConfig): ResolvedApp[] {
  return config.apps.filter((a) => a.access === 'protected');
}

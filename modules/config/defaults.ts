import { DEFAULT_QUOTAS, type Quotas } from '../plan/quotas';
import type {
  AlbConfig,
  AppConfig,
  CentralAuthConfig,
  CertificateStrategy,
  CognitoConfig,
  PolicySuppression,
  SessionConfig,
  StateConfig,
} from './types';

/** An app with every default applied. */
export type ResolvedApp = Required<AppConfig>;

/**
 * The config with every default applied, so stacks never re-derive defaults. Derived from the
 * config types, so a new setting cannot be documented in one place and forgotten in the other.
 */
export interface ResolvedConfig
  extends Pick<CentralAuthConfig, 'environment' | 'region' | 'zoneName' | 'vpcId' | 'publicSubnetIds' | 'clusterName'> {
  readonly cognito: Required<CognitoConfig>;
  readonly session: Required<SessionConfig>;
  readonly alb: Required<Pick<AlbConfig, 'deletionProtection' | 'idleTimeoutSeconds'>> & Pick<AlbConfig, 'accessLogs' | 'webAclArn'>;
  readonly certificates: CertificateStrategy;
  readonly quotas: Quotas;
  readonly state: StateConfig;
  /** Sorted by host, so output never depends on list order in the file. */
  readonly apps: readonly ResolvedApp[];
  readonly suppressions: readonly PolicySuppression[];
}

export function resolveConfig(config: CentralAuthConfig): ResolvedConfig {
  const {
    cognito,
    session = {},
    alb = {},
    certificates = 'wildcard',
    state = { backend: 'local' },
    suppressions = [],
    quotas = {},
  } = config;
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
    cognito: {
      domainPrefix: cognito.domainPrefix,
      mfa,
      passwordMinimumLength,
      accessTokenValidityMinutes,
      refreshTokenValidityHours,
      deletionProtection,
      groups: [...groups],
    },
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

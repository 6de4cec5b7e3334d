import { type ResolvedIdentityProvider, resolveIdentityProvider } from './identity-providers';
import { readFileSync } from 'fs';
import { join } from 'path';
import { DEFAULT_QUOTAS, type Quotas } from './quotas';
import { resolveVerifier, type VerifierSettings } from './sections/verifier';
import type {
  AlbConfig,
  AppConfig,
  CentralAuthConfig,
  CertificateStrategy,
  CognitoConfig,
  EksAccessConfig,
  GrafanaConfig,
  MachineClientConfig,
  PolicySuppression,
  RouterKind,
  SessionConfig,
  StateConfig,
  WafConfig,
} from './types';

/** An app with every default applied. */
/** The web ACL decision, with the managed one's defaults applied. */
export type ResolvedWaf =
  | {
      readonly mode: 'managed';
      readonly rateLimitPer5Min: number;
      readonly allowCountries: readonly string[];
      readonly count: boolean;
      /** Hosts where a request with a bearer token passes the country allow-list (waf.bearerTokensFromAnyCountry). */
      readonly bearerHostsFromAnyCountry: readonly string[];
    }
  | { readonly mode: 'existing'; readonly webAclArn: string }
  | { readonly mode: 'off' };

/** An app with its defaults; `bearerTokens` stays absent for browser-only apps. */
export type ResolvedApp = Required<Omit<AppConfig, 'bearerTokens'>> & Pick<AppConfig, 'bearerTokens'>;

/**
 * The config with every default applied, so stacks never re-derive defaults. Derived from the
 * config types, so a new setting cannot be documented in one place and forgotten in the other.
 */
export interface ResolvedConfig
  extends Pick<CentralAuthConfig, 'environment' | 'region' | 'zoneName' | 'vpcId' | 'publicSubnetIds' | 'clusterName' | 'nlb'> {
  readonly eks: EksAccessConfig;
  readonly grafana: Required<GrafanaConfig>;
  readonly cognito: Required<Omit<CognitoConfig, 'identityProviders' | 'groupMapping' | 'customDomain' | 'brandingFile'>> & {
    readonly identityProviders: readonly ResolvedIdentityProvider[];
    readonly groupMapping?: Readonly<Record<string, string>>;
    readonly customDomain?: string;
    /** The branding file's settings, normalized (sorted keys), so the plan shows no change while it is the same. */
    readonly branding?: string;
  };
  readonly session: Required<SessionConfig>;
  readonly alb: Required<Pick<AlbConfig, 'deletionProtection' | 'idleTimeoutSeconds' | 'securityHeaders'>> & Pick<AlbConfig, 'accessLogs'>;
  readonly waf: ResolvedWaf;
  readonly verifier: Required<VerifierSettings>;
  readonly alarms: { readonly email: readonly string[]; readonly snsTopicArn?: string };
  readonly certificates: CertificateStrategy;
  readonly quotas: Quotas;
  readonly state: StateConfig;
  /** Sorted by host, so output never depends on list order in the file. */
  readonly apps: readonly ResolvedApp[];
  /** Sorted by name. */
  readonly machineClients: readonly Required<MachineClientConfig>[];
  readonly suppressions: readonly PolicySuppression[];
  /** The router that gets the ALB's traffic, and the one kept running during a switch. */
  readonly router: { readonly use: RouterKind; readonly keep?: RouterKind };
}

/**
 * Every default of the config, in one place: resolveConfig applies them, validation and the
 * constructs read them from here. The config types document each with `@default`.
 */
export const DEFAULTS = {
  cognito: {
    mfa: 'OPTIONAL',
    passwordMinimumLength: 12,
    accessTokenValidityMinutes: 60,
    refreshTokenValidityHours: 12,
    deletionProtection: true,
    localUsers: true,
    requireGroup: false,
    managedLogin: true,
    passkeys: false,
  },
  session: { cookieName: 'AWSELBAuthSessionCookie', timeoutSeconds: 28800, signoutPath: '/_auth/signout', signoutConcurrency: 10 },
  alb: { deletionProtection: true, idleTimeoutSeconds: 60, securityHeaders: true },
  waf: { mode: 'managed', rateLimitPer5Min: 2000, count: false },
  certificates: 'wildcard',
  state: { backend: 'local' },
  app: { onUnauthenticated: 'authenticate', workload: 'none' },
  grafana: { persistence: true, storageClassName: 'gp3' },
  machineClient: { accessTokenValidityMinutes: 15 },
  router: 'ingress-nginx',
} as const satisfies {
  readonly cognito: Required<
    Omit<CognitoConfig, 'domainPrefix' | 'groups' | 'identityProviders' | 'groupMapping' | 'customDomain' | 'brandingFile'>
  >;
  readonly session: Required<SessionConfig>;
  readonly alb: Required<Pick<AlbConfig, 'deletionProtection' | 'idleTimeoutSeconds' | 'securityHeaders'>>;
  readonly waf: Required<Pick<WafConfig, 'mode' | 'rateLimitPer5Min' | 'count'>>;
  readonly certificates: CertificateStrategy;
  readonly state: StateConfig;
  readonly app: Required<Pick<AppConfig, 'onUnauthenticated' | 'workload'>>;
  readonly grafana: Required<GrafanaConfig>;
  readonly machineClient: Required<Pick<MachineClientConfig, 'accessTokenValidityMinutes'>>;
  readonly router: RouterKind;
};

export function resolveConfig(config: CentralAuthConfig, root: string = process.cwd()): ResolvedConfig {
  const { cognito, session = {}, alb = {}, suppressions = [], quotas = {} } = config;
  const { groups = [], identityProviders = [], groupMapping, customDomain, brandingFile, ...pool } = cognito;
  return {
    environment: config.environment,
    region: config.region,
    zoneName: config.zoneName,
    vpcId: config.vpcId,
    publicSubnetIds: [...config.publicSubnetIds],
    clusterName: config.clusterName,
    nlb: { subnets: config.nlb.subnets.map((subnet) => ({ ...subnet })) },
    eks: { ...config.eks },
    grafana: { ...DEFAULTS.grafana, ...withoutUndefined(config.grafana ?? {}) },
    cognito: {
      ...DEFAULTS.cognito,
      ...withoutUndefined(pool),
      groups: [...groups],
      identityProviders: identityProviders.map((p) => resolveIdentityProvider(p, root)),
      ...(groupMapping ? { groupMapping: { ...groupMapping } } : {}),
      ...(customDomain ? { customDomain } : {}),
      ...(brandingFile ? { branding: normalizedJson(readFileSync(join(root, brandingFile), 'utf8')) } : {}),
    },
    session: { ...DEFAULTS.session, ...withoutUndefined(session) },
    alb: { ...DEFAULTS.alb, ...withoutUndefined(alb) },
    waf: resolveWaf(config.waf ?? {}, config.apps),
    verifier: resolveVerifier(config.verifier),
    alarms: {
      email: [...(config.alarms?.email ?? [])].sort(),
      ...(config.alarms?.snsTopicArn ? { snsTopicArn: config.alarms.snsTopicArn } : {}),
    },
    certificates: config.certificates ?? DEFAULTS.certificates,
    quotas: { ...DEFAULT_QUOTAS, ...withoutUndefined(quotas) },
    state: config.state ?? DEFAULTS.state,
    apps: config.apps
      .map(
        ({
          name,
          host,
          access,
          publicPaths = [],
          denyPaths = [],
          onUnauthenticated = DEFAULTS.app.onUnauthenticated,
          workload = DEFAULTS.app.workload,
          allowedGroups = [],
          forwardAccessToken = workload === 'grafana',
          bearerTokens,
        }) => ({
          name,
          host,
          access,
          publicPaths: [...publicPaths],
          denyPaths: [...denyPaths],
          onUnauthenticated,
          workload,
          allowedGroups: [...allowedGroups],
          forwardAccessToken,
          ...(bearerTokens ? { bearerTokens: { scopes: [...bearerTokens.scopes].sort() } } : {}),
        }),
      )
      .sort((a, b) => a.host.localeCompare(b.host)),
    machineClients: (config.machineClients ?? [])
      .map(({ name, scopes, accessTokenValidityMinutes = DEFAULTS.machineClient.accessTokenValidityMinutes }) => ({
        name,
        scopes: [...scopes].sort(),
        accessTokenValidityMinutes,
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    suppressions: [...suppressions],
    router: resolveRouter(config.router ?? DEFAULTS.router),
  };
}

function resolveWaf(waf: WafConfig, apps: readonly AppConfig[]): ResolvedWaf {
  const mode = waf.mode ?? DEFAULTS.waf.mode;
  if (mode === 'off') return { mode };
  if (mode === 'existing') return { mode, webAclArn: waf.webAclArn! };
  return {
    mode,
    rateLimitPer5Min: waf.rateLimitPer5Min ?? DEFAULTS.waf.rateLimitPer5Min,
    allowCountries: [...(waf.allowCountries ?? [])].sort(),
    count: waf.count ?? DEFAULTS.waf.count,
    bearerHostsFromAnyCountry: waf.bearerTokensFromAnyCountry
      ? apps
          .filter((a) => a.bearerTokens)
          .map((a) => a.host)
          .sort()
      : [],
  };
}

function resolveRouter(router: NonNullable<CentralAuthConfig['router']>): ResolvedConfig['router'] {
  if (typeof router === 'string') return { use: router };
  return router.keep === undefined ? { use: router.use } : { use: router.use, keep: router.keep };
}

export function protectedApps(config: ResolvedConfig): ResolvedApp[] {
  return config.apps.filter((a) => a.access === 'protected');
}

/** JSON with sorted keys and no whitespace: the same settings always give the same text. */
export function normalizedJson(text: string): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sort)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
          )
        : v;
  return JSON.stringify(sort(JSON.parse(text)));
}

/** A copy without keys set to `undefined`, so a spread cannot overwrite a default with nothing. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

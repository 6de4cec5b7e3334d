/**
 * Pure judgements: one answer (or certificate) in, one result line out. Each FAIL says what was
 * expected, what came, and the first thing to look at; docs/smoke.md lists them all.
 */
import type { Answer, CertificateInfo } from './http';
import type { CheckResult } from './types';

export const ok = (check: string, target: string): CheckResult => ({ status: 'ok', check, target });
export const fail = (check: string, target: string, expected: string, saw: string, lookAt: string): CheckResult => ({
  status: 'FAIL',
  check,
  target,
  expected,
  saw,
  lookAt,
});
const warn = (check: string, target: string, expected: string, saw: string, lookAt: string): CheckResult => ({
  ...fail(check, target, expected, saw, lookAt),
  status: 'WARN',
});

/** Certificates closer than this to expiry are a WARN: ACM renews 60 days ahead, so one this close is stuck. */
export const CERTIFICATE_WARN_DAYS = 30;

/** Where an answer redirects, resolved against the request URL. */
export function locationOf(answer: Answer, requestUrl: string): URL | undefined {
  const location = answer.headers.location;
  if (answer.status < 300 || answer.status > 399 || typeof location !== 'string') return undefined;
  try {
    return new URL(location, requestUrl);
  } catch {
    return undefined;
  }
}

/** `302 to https://host/path` (never the query: it holds state) or the bare status. */
export function describe(answer: Answer, requestUrl: string): string {
  const to = locationOf(answer, requestUrl);
  return to ? `${answer.status} to ${to.origin}${to.pathname}` : String(answer.status);
}

/** The request being judged: its URL, what it is called in the report, and the hosts it may send a browser to. */
export interface Judged {
  readonly check: string;
  readonly target: string;
  readonly url: string;
  readonly answer: Answer;
  readonly allowedHosts: ReadonlySet<string>;
}

/** A redirect off the environment's hosts and Cognito domains, as a FAIL; else undefined. */
function openRedirect(j: Judged, expected: string, host: string): CheckResult | undefined {
  const to = locationOf(j.answer, j.url);
  if (!to || j.allowedHosts.has(to.hostname)) return undefined;
  return fail(
    j.check,
    j.target,
    expected,
    `${describe(j.answer, j.url)} (open redirect: ${to.hostname} is neither a host of this environment nor its Cognito domain)`,
    `the listener rules of ${host} and the app behind it: nothing may send a browser off the environment's hosts`,
  );
}

export interface SignInExpectation {
  readonly host: string;
  readonly authorizeUrl: string;
  /** Undefined when the AWS lookup failed (reported there). */
  readonly clientId?: string;
  readonly clientName: string;
  readonly redirectUri: string;
  readonly extraParams: Readonly<Record<string, string>>;
}

/** A protected request without a session: 302 to the pool's /oauth2/authorize with this host's client and callback. */
/** A FAIL when the redirect's query parameter `name` is not `want` (a missing one reads `none`). */
function wrongParam(j: Judged, to: URL, name: string, want: string, lookAt: string, label = ''): CheckResult | undefined {
  const saw = to.searchParams.get(name) ?? 'none';
  return saw === want ? undefined : fail(j.check, j.target, `${name} ${want}${label}`, `${name} ${saw}`, lookAt);
}

/** The same for the app client, when the expectation knows its id (after apply). */
function wrongClientId(
  j: Judged,
  to: URL,
  e: { readonly clientId?: string; readonly clientName: string },
  lookAt: string,
): CheckResult | undefined {
  return e.clientId === undefined ? undefined : wrongParam(j, to, 'client_id', e.clientId, lookAt, ` (app client ${e.clientName})`);
}

export function judgeSignIn(j: Judged, e: SignInExpectation): CheckResult {
  const expected = `302 to ${e.authorizeUrl}`;
  const foreign = openRedirect(j, expected, e.host);
  if (foreign) return foreign;
  const to = locationOf(j.answer, j.url);
  if (j.answer.status !== 302 || !to || `${to.origin}${to.pathname}` !== e.authorizeUrl) {
    const lookAt =
      j.answer.status >= 200 && j.answer.status < 300
        ? `the edge stack's listener rules for ${e.host}: a public rule or a missing authenticate-cognito action lets requests through without signing in`
        : to
          ? "the auth stack's cognito_domain output and the edge stack's user_pool_domain (apply edge after auth)"
          : `the edge stack's listener rules for ${e.host} and the ALB's access logs (error_reason)`;
    return fail(j.check, j.target, expected, describe(j.answer, j.url), lookAt);
  }
  const wrong =
    wrongClientId(
      j,
      to,
      e,
      `the edge stack's user_pool_client_id for ${e.host}, read from the auth stack's client_ids output (apply edge after auth)`,
    ) ??
    wrongParam(j, to, 'redirect_uri', e.redirectUri, `the callback URLs of app client ${e.clientName}`) ??
    wrongParam(j, to, 'response_type', 'code', "the listener's authenticate-cognito action") ??
    Object.entries(e.extraParams)
      .map(([name, value]) => wrongParam(j, to, name, value, "the listener's authentication_request_extra_params"))
      .find((r) => r !== undefined);
  return wrong ?? ok(j.check, j.target);
}

/** A public host or path: the app answers, whatever it says, but nobody is sent to sign in. */
export function judgeApp(j: Judged, host: string, cognitoHosts: ReadonlySet<string>): CheckResult {
  const expected = "the app's own answer (no sign-in)";
  const foreign = openRedirect(j, expected, host);
  if (foreign) return foreign;
  const to = locationOf(j.answer, j.url);
  if (to && cognitoHosts.has(to.hostname)) {
    return fail(
      j.check,
      j.target,
      expected,
      describe(j.answer, j.url),
      `the public rule of ${host} in the edge stack (public-hosts or public-paths)`,
    );
  }
  if (j.answer.status >= 500) {
    return warn(
      j.check,
      j.target,
      expected,
      String(j.answer.status),
      `the router's targets (unhealthy-router alarm) and the app behind ${host}`,
    );
  }
  return ok(j.check, j.target);
}

/** A deny path without a session: the ALB's 401, never a sign-in page. */
export function judgeDeny(j: Judged, host: string, ruleId: string): CheckResult {
  const foreign = openRedirect(j, '401', host);
  if (foreign) return foreign;
  if (j.answer.status === 401) return ok(j.check, j.target);
  return fail(j.check, j.target, '401', describe(j.answer, j.url), `the edge stack's rule ${ruleId} (on_unauthenticated_request deny)`);
}

/** A malformed or forged bearer token: the ALB's 401 from its jwt-validation action. */
export function judgeBadToken(j: Judged, host: string, ruleId: string): CheckResult {
  const foreign = openRedirect(j, '401', host);
  if (foreign) return foreign;
  if (j.answer.status === 401) return ok(j.check, j.target);
  const saw =
    j.answer.status >= 200 && j.answer.status < 300 ? `${j.answer.status} (the token was not checked)` : describe(j.answer, j.url);
  return fail(j.check, j.target, '401', saw, `the edge stack's rule ${ruleId} (jwt-validation behind Authorization: Bearer *)`);
}

/** A real machine token: past the ALB, the app's own answer. */
export function judgeRealToken(j: Judged, host: string, cognitoHosts: ReadonlySet<string>): CheckResult {
  const expected = "the app's answer to a valid token";
  const foreign = openRedirect(j, expected, host);
  if (foreign) return foreign;
  const to = locationOf(j.answer, j.url);
  if (j.answer.status === 401 || (to && cognitoHosts.has(to.hostname))) {
    return fail(
      j.check,
      j.target,
      expected,
      describe(j.answer, j.url),
      "the machine client's scopes against the app's bearerTokens.scopes, and the rule's jwt-validation issuer",
    );
  }
  if (j.answer.status >= 500)
    return warn(j.check, j.target, expected, String(j.answer.status), `the app behind ${host} and the router's targets`);
  return ok(j.check, j.target);
}

export interface SignOutExpectation {
  readonly host: string;
  readonly logoutEndpoint: string;
  /** The listener rule that forwards the sign-out path to the function. */
  readonly ruleId: string;
  readonly clientId?: string;
  readonly clientName: string;
  readonly logoutUri: string;
  readonly cookieName: string;
  readonly shardCount: number;
}

/** The sign-out path without a session: cookies expired in the same 302 that goes to Cognito's /logout. */
export function judgeSignOut(j: Judged, e: SignOutExpectation): CheckResult {
  const expected = `302 to ${e.logoutEndpoint}`;
  const foreign = openRedirect(j, expected, e.host);
  if (foreign) return foreign;
  const to = locationOf(j.answer, j.url);
  const lookAt = `the edge stack's rule ${e.ruleId} and the sign-out function's log group`;
  if (j.answer.status !== 302 || !to || `${to.origin}${to.pathname}` !== e.logoutEndpoint) {
    return fail(j.check, j.target, expected, describe(j.answer, j.url), lookAt);
  }
  const wrong =
    wrongClientId(j, to, e, "the sign-out function's CLIENT_IDS (apply edge after auth)") ??
    wrongParam(j, to, 'logout_uri', e.logoutUri, `the logout URLs of app client ${e.clientName}`);
  if (wrong) return wrong;
  const shards = Array.from({ length: e.shardCount }, (_, i) => `${e.cookieName}-${i}`);
  const kept = shards.filter((name) => !j.answer.setCookie.some((c) => expires(c, name)));
  if (kept.length > 0) {
    return fail(
      j.check,
      j.target,
      `Set-Cookie expiring ${shards.join(', ')} (Path=/, no Domain)`,
      j.answer.setCookie.length === 0 ? 'no Set-Cookie' : `none for ${kept.join(', ')}`,
      "the sign-out target group's lambda_multi_value_headers_enabled and the function's log group",
    );
  }
  return ok(j.check, j.target);
}

/** Whether a Set-Cookie expires cookie `name` as the ALB set it: host-only (no Domain), Path=/. */
function expires(setCookie: string, name: string): boolean {
  const [pair = '', ...attributes] = setCookie.split(';').map((s) => s.trim());
  if (pair.slice(0, pair.indexOf('=')) !== name) return false;
  const attr = new Map(attributes.map((a) => [a.split('=')[0]!.toLowerCase(), a.slice(a.indexOf('=') + 1)]));
  if (attr.has('domain') || attr.get('path') !== '/') return false;
  const expiresAt = attr.has('expires') ? Date.parse(attr.get('expires')!) : Number.NaN;
  return attr.get('max-age') === '0' || expiresAt < Date.now();
}

/** HSTS and nosniff on an HTTPS answer, as the listener sets them. */
export function judgeSecurityHeaders(j: Judged, headers: { hsts: string; contentTypeOptions: string }): CheckResult[] {
  const hsts = j.answer.headers['strict-transport-security'];
  const nosniff = j.answer.headers['x-content-type-options'];
  return [
    sameDirectives(String(hsts ?? ''), headers.hsts)
      ? ok('hsts', j.target)
      : fail(
          'hsts',
          j.target,
          `Strict-Transport-Security: ${headers.hsts}`,
          hsts === undefined ? 'none' : `Strict-Transport-Security: ${hsts}`,
          "the HTTPS listener's routing_http_response_strict_transport_security_header_value (alb.securityHeaders)",
        ),
    String(nosniff ?? '').toLowerCase() === headers.contentTypeOptions.toLowerCase()
      ? ok('nosniff', j.target)
      : fail(
          'nosniff',
          j.target,
          `X-Content-Type-Options: ${headers.contentTypeOptions}`,
          nosniff === undefined ? 'none' : `X-Content-Type-Options: ${nosniff}`,
          "the HTTPS listener's routing_http_response_x_content_type_options_header_value (alb.securityHeaders)",
        ),
  ];
}

/** HSTS directives compare case-insensitively and in any order (RFC 6797, 6.1). */
function sameDirectives(actual: string, wanted: string): boolean {
  const norm = (v: string) =>
    v
      .split(';')
      .map((d) =>
        d
          .trim()
          .toLowerCase()
          .replace(/\s*=\s*/, '='),
      )
      .filter(Boolean)
      .sort()
      .join(';');
  return norm(actual) === norm(wanted);
}

/** The ALB's own answers (its redirects and 401s) carry no Server header. */
export function judgeServerHeader(target: string, answers: readonly { what: string; answer: Answer }[]): CheckResult {
  const leaking = answers.find((a) => a.answer.headers.server !== undefined);
  if (!leaking) return ok('server-header', target);
  return fail(
    'server-header',
    target,
    'no Server header',
    `Server: ${leaking.answer.headers.server} on ${leaking.what}`,
    "the listeners' routing_http_response_server_enabled (alb.securityHeaders)",
  );
}

/** The HTTP listener: a permanent redirect to the same host and path over HTTPS. */
export function judgeHttpRedirect(j: Judged, host: string, status: number): CheckResult {
  const source = new URL(j.url);
  const wanted = `https://${host}${source.pathname}${source.search}`;
  const expected = `${status} to ${wanted}`;
  const foreign = openRedirect(j, expected, host);
  if (foreign) return foreign;
  const to = locationOf(j.answer, j.url);
  if (j.answer.status === status && to?.href === wanted) return ok(j.check, j.target);
  const saw = to ? `${j.answer.status} to ${to.href}` : String(j.answer.status);
  return fail(j.check, j.target, expected, saw, "the HTTP listener's default action (redirect to HTTPS, port 443, HTTP_301)");
}

/** The listener's certificate for this host: names, validity, chain. */
export function judgeCertificate(host: string, cert: CertificateInfo, now: Date): CheckResult {
  const day = (d: Date) => d.toISOString().slice(0, 10);
  if (cert.nameError) {
    return fail(
      'certificate',
      host,
      `a certificate for ${host}`,
      `one for ${cert.altNames || 'no DNS names'}`,
      `the edge stack's certificates for ${host} and the listener's certificate list`,
    );
  }
  if (now.getTime() > cert.validTo.getTime()) {
    return fail(
      'certificate',
      host,
      'a certificate valid now',
      `one that expired on ${day(cert.validTo)}`,
      "the ACM certificate's renewal (its DNS validation record must stay in the zone)",
    );
  }
  if (now.getTime() < cert.validFrom.getTime()) {
    return fail(
      'certificate',
      host,
      'a certificate valid now',
      `one valid only from ${day(cert.validFrom)}`,
      "this machine's clock, then the listener's certificate",
    );
  }
  if (cert.chainError) {
    return fail(
      'certificate',
      host,
      "a certificate chain the system's CAs trust",
      cert.chainError,
      "the listener's certificate (ACM, DNS-validated)",
    );
  }
  const daysLeft = Math.floor((cert.validTo.getTime() - now.getTime()) / 86_400_000);
  if (daysLeft < CERTIFICATE_WARN_DAYS) {
    return warn(
      'certificate',
      host,
      `more than ${CERTIFICATE_WARN_DAYS} days of validity`,
      `${daysLeft} days (until ${day(cert.validTo)})`,
      "the ACM certificate's renewal status (aws acm describe-certificate)",
    );
  }
  return ok('certificate', host);
}

/** An answer that never came: connection refused, timed out, or a TLS failure. */
export function noAnswer(check: string, target: string, expected: string, code: string, host: string): CheckResult {
  return fail(
    check,
    target,
    expected,
    `no answer (${code})`,
    `the alias record of ${host} and the ALB's security group (ports 80 and 443 from the internet)`,
  );
}

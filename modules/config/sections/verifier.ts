// Config section `verifier`: where the identity verifier's image comes from and how far it scales.
// One file: the type, its keys (tied to the type, so a key added to one is a compile error in the
// other), its defaults and its check.
import type { Checker } from '../checker';

/** The identity verifier's capacity and image. */
export interface VerifierSettings {
  /**
   * The Node.js image, pinned by digest (`<repository>@sha256:<64 hex>`). Point it at a registry
   * your nodes reach without Docker Hub's anonymous pull limit, shared by the whole VPC behind one
   * NAT address: an ECR pull-through cache of Docker Hub, or the same image in your own registry
   * (README, "Identity for your apps").
   * @default 'node:22-bookworm-slim@sha256:48e4…f0f9' from Docker Hub
   */
  readonly image?: string;
  /**
   * Pods the autoscaler never goes below: with the disruption budget of two ready pods, one may
   * be drained at a time while two serve.
   * @default 3
   */
  readonly minReplicas?: number;
  /**
   * Pods the autoscaler never goes above (each serves about 2,100 requests a second behind Traefik,
   * about 900 behind ingress-nginx, which opens a connection per request, before the next is added:
   * docs/benchmark.md).
   * @default 12
   */
  readonly maxReplicas?: number;
  /**
   * `debug` adds to each decision line a prefix of each token's SHA-256 and whether its check came
   * from the cache: the same data-token hash across a session's requests shows the ALB keeps its
   * data token, a new one each time that it re-signs it (the access token is cached either way).
   * @default 'info'
   */
  readonly logLevel?: 'info' | 'debug';
}

export const VERIFIER_KEYS = { image: true, minReplicas: true, maxReplicas: true, logLevel: true } as const satisfies Record<
  keyof VerifierSettings,
  true
>;

/**
 * node:22-bookworm-slim by index digest (docker-library/repo-info, repos/node/remote/22-bookworm-slim.md,
 * Node 22.23.2): the code comes from a ConfigMap, so no image is built. Upgrades are reviewed changes.
 */
export const DEFAULT_VERIFIER_IMAGE = 'node:22-bookworm-slim@sha256:48e4b67d85f87bd551df43704e24d252f56cc5f8e9718841aace50f19948f0f9';

export const VERIFIER_DEFAULTS: Required<VerifierSettings> = {
  image: DEFAULT_VERIFIER_IMAGE,
  minReplicas: 3,
  maxReplicas: 12,
  logLevel: 'info',
};

/** A reference pinned by digest: what runs is what was reviewed, from whichever registry. */
const IMAGE_RE =
  /^(?:[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?(?::\d{1,5})?\/)?[a-z0-9]+(?:[._/-][a-z0-9]+)*(?::[\w][\w.-]{0,127})?@sha256:[0-9a-f]{64}$/;

/** `verifier`: a digest-pinned image and a replica range the disruption budget can keep. */
export function checkVerifier(c: Checker, verifier: unknown): void {
  if (!c.isObject('verifier', verifier, false)) return;
  c.knownKeys('verifier', verifier, Object.keys(VERIFIER_KEYS));
  c.string(
    'verifier.image',
    verifier.image,
    IMAGE_RE,
    'must be an image pinned by digest, such as "123456789012.dkr.ecr.eu-west-1.amazonaws.com/docker-hub/library/node@sha256:<64 hex digits>"',
    false,
  );
  c.oneOf('verifier.logLevel', verifier.logLevel, ['info', 'debug']);
  c.integer('verifier.minReplicas', verifier.minReplicas, 3, 100);
  c.integer('verifier.maxReplicas', verifier.maxReplicas, 3, 200);
  const min = typeof verifier.minReplicas === 'number' ? verifier.minReplicas : VERIFIER_DEFAULTS.minReplicas;
  if (typeof verifier.maxReplicas === 'number' && verifier.maxReplicas < min)
    c.fail('verifier.maxReplicas', verifier.maxReplicas, `must be at least minReplicas (${min})`);
}

export function resolveVerifier(verifier: VerifierSettings = {}): Required<VerifierSettings> {
  return {
    image: verifier.image ?? VERIFIER_DEFAULTS.image,
    minReplicas: verifier.minReplicas ?? VERIFIER_DEFAULTS.minReplicas,
    maxReplicas: verifier.maxReplicas ?? VERIFIER_DEFAULTS.maxReplicas,
    logLevel: verifier.logLevel ?? VERIFIER_DEFAULTS.logLevel,
  };
}

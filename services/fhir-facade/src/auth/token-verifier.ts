/**
 * Verifying bearer JWTs with jose: against a JWKS URL (HelseID in production) or against the local
 * development issuer, whose key pair lives only in memory.
 *
 * A JWKS token must carry `exp` and `iat`, live no longer than the configured lifetime (`exp - iat`), and
 * have `iat` and `nbf` no later than now, within a small clock skew. The key set is kept: when the JWKS
 * endpoint is down or hangs, the last good keys go on verifying tokens while a refresh is tried in the
 * background, and only when no key can be had at all does verification fail with
 * {@link KeysUnavailableError} (the request is answered 503, not 401), at once while a failed fetch is
 * recent, so that requests do not queue behind a hanging endpoint.
 */
import { createLocalJWKSet, createRemoteJWKSet, errors, exportJWK, generateKeyPair, jwtVerify, SignJWT, type JSONWebKeySet, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { callerFromClaims, type Caller } from './caller.js';

/** Turns a token into a caller, or throws when it is not valid. */
export interface TokenVerifier {
  verify(token: string): Promise<Caller>;
}

/** Where and for whom tokens are issued. */
export interface TokenAudience {
  readonly issuer: string;
  readonly audience: string;
}

/**
 * No signing key could be had to check a token with (the JWKS endpoint is down, hangs or answers
 * nonsense, and no key set fetched earlier can be used): the token is neither valid nor invalid, and the
 * request is answered 503 with `Retry-After`.
 */
export class KeysUnavailableError extends Error {
  override readonly name = 'KeysUnavailableError';
  constructor(
    /** Seconds after which asking again may succeed. */
    readonly retryAfterSeconds: number,
    options?: { cause?: unknown },
  ) {
    super('the signing keys (JWKS) cannot be fetched', options);
  }
}

const ALGORITHM = 'ES256';

/** Options of {@link jwksVerifier}; `config.ts` gives the first three (`JwksSettings`). */
export interface JwksVerifierOptions {
  /** The longest token lifetime accepted, `exp - iat`, and the oldest `iat` (seconds). */
  readonly maxLifetimeSeconds: number;
  /** Clock skew allowed on `exp`, `nbf` and `iat` (seconds). */
  readonly clockSkewSeconds: number;
  /** How long one fetch of the key set may take (ms). */
  readonly jwksTimeoutMs: number;
  /** The clock (default: the real one). */
  readonly now?: () => Date;
  /** Key sets older than this are refreshed in the background, while still used (ms; default 10 minutes). */
  readonly refreshAfterMs?: number;
  /** After a failed fetch, how long to answer without asking the endpoint again (ms; default 30 s). */
  readonly retryAfterMs?: number;
  /** The oldest key set still used while the endpoint cannot be reached (ms; default 24 hours). */
  readonly maxStaleMs?: number;
}

const DEFAULT_REFRESH_AFTER_MS = 10 * 60_000;
const DEFAULT_RETRY_AFTER_MS = 30_000;
const DEFAULT_MAX_STALE_MS = 24 * 3600_000;

/**
 * The key set of one JWKS URL, fetched by jose (timeout, status and shape checks) and kept here: jose
 * drops to a blocking refetch once its cache is stale, and every request then waits for a hanging
 * endpoint and fails; here the last good set is used while it is not older than `maxStaleMs`.
 */
class KeptKeySet {
  private readonly remote: ReturnType<typeof createRemoteJWKSet>;
  private local?: JWTVerifyGetKey;
  private fetchedAt?: number;
  private failedAt?: number;
  private pending?: Promise<void>;

  constructor(
    url: URL,
    private readonly options: Required<Omit<JwksVerifierOptions, 'maxLifetimeSeconds' | 'clockSkewSeconds'>>,
  ) {
    // Its own cache never expires: when to fetch again is decided here.
    this.remote = createRemoteJWKSet(url, { timeoutDuration: options.jwksTimeoutMs, cacheMaxAge: Infinity, cooldownDuration: 0 });
  }

  private nowMs(): number {
    return this.options.now().getTime();
  }

  private unavailable(cause?: unknown): KeysUnavailableError {
    return new KeysUnavailableError(Math.ceil(this.options.retryAfterMs / 1000), cause === undefined ? undefined : { cause });
  }

  private recentlyFailed(now: number): boolean {
    return this.failedAt !== undefined && now - this.failedAt < this.options.retryAfterMs;
  }

  /** One fetch at a time; a failure is remembered so that the next requests need not wait for another. */
  private refresh(): Promise<void> {
    this.pending ??= this.remote
      .reload()
      .then(() => {
        this.local = createLocalJWKSet(this.remote.jwks() as JSONWebKeySet);
        this.fetchedAt = this.nowMs();
        this.failedAt = undefined;
      })
      .catch((e: unknown) => {
        this.failedAt = this.nowMs();
        throw this.unavailable(e);
      })
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }

  /** The key for a token's header, for jose's `jwtVerify`. */
  readonly getKey: JWTVerifyGetKey = async (header, token) => {
    const now = this.nowMs();
    const usable = this.local !== undefined && this.fetchedAt !== undefined && now - this.fetchedAt <= this.options.maxStaleMs;
    if (!usable) {
      if (this.recentlyFailed(now)) throw this.unavailable();
      await this.refresh();
    } else if (now - (this.fetchedAt as number) > this.options.refreshAfterMs && !this.recentlyFailed(now)) {
      // Stale but usable: refresh behind the request, which goes on with the keys at hand.
      this.refresh().catch(() => undefined);
    }
    try {
      return await (this.local as JWTVerifyGetKey)(header, token);
    } catch (e) {
      if (!(e instanceof errors.JWKSNoMatchingKey)) throw e;
      // A key not in the set may be a new one (rotation): ask again, but not more often than retryAfterMs.
      if (this.recentlyFailed(now)) throw this.unavailable(e);
      if (now - (this.fetchedAt as number) < this.options.retryAfterMs) throw e;
      await this.refresh();
      return (this.local as JWTVerifyGetKey)(header, token);
    }
  };
}

/**
 * A verifier for tokens signed by the keys at `jwksUrl` (HelseID), with the lifetime and clock checks
 * described at the top of this file.
 * @throws from `verify`: {@link KeysUnavailableError} when no key can be had; any other error means the
 * token is not valid
 * @example const verifier = jwksVerifier('https://helseid-sts.nhn.no/.well-known/openid-configuration/jwks', { issuer, audience }, { maxLifetimeSeconds: 3600, clockSkewSeconds: 30, jwksTimeoutMs: 2000 });
 */
export function jwksVerifier(jwksUrl: string, expect: TokenAudience, options: JwksVerifierOptions): TokenVerifier {
  const now = options.now ?? (() => new Date());
  const keys = new KeptKeySet(new URL(jwksUrl), {
    jwksTimeoutMs: options.jwksTimeoutMs,
    now,
    refreshAfterMs: options.refreshAfterMs ?? DEFAULT_REFRESH_AFTER_MS,
    retryAfterMs: options.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS,
    maxStaleMs: options.maxStaleMs ?? DEFAULT_MAX_STALE_MS,
  });
  return {
    async verify(token) {
      // requiredClaims and maxTokenAge make jose refuse a token without exp or iat, an iat older than the
      // lifetime, and an iat (or nbf) later than now beyond the skew; the lifetime itself is checked below.
      const { payload } = await jwtVerify(token, keys.getKey, {
        issuer: expect.issuer,
        audience: expect.audience,
        requiredClaims: ['exp', 'iat'],
        maxTokenAge: options.maxLifetimeSeconds,
        clockTolerance: options.clockSkewSeconds,
        currentDate: now(),
      });
      const lifetime = (payload.exp as number) - (payload.iat as number);
      if (lifetime > options.maxLifetimeSeconds) {
        throw new errors.JWTClaimValidationFailed(`the token lives ${lifetime} s, longer than ${options.maxLifetimeSeconds} s`, payload, 'exp', 'check_failed');
      }
      return callerFromClaims(payload as Record<string, unknown>);
    },
  };
}

/** The local development issuer: verifies its own tokens and mints test tokens. */
export interface DevIssuer extends TokenVerifier {
  /**
   * Mints a token.
   * @param claims e.g. `{ scope: 'ehds/eprescription.convert', 'helseid://claims/hpr/hpr_number': '565104311' }`
   * @param expiresInSeconds lifetime, default one hour
   */
  mint(claims: JWTPayload, expiresInSeconds?: number): Promise<string>;
}

/** Creates a development issuer with a fresh key pair. */
export async function devIssuer(expect: TokenAudience): Promise<DevIssuer> {
  const { publicKey, privateKey } = await generateKeyPair(ALGORITHM);
  const jwk = { ...(await exportJWK(publicKey)), kid: 'dev', alg: ALGORITHM, use: 'sig' };
  const keys = createLocalJWKSet({ keys: [jwk] });
  return {
    async verify(token) {
      const { payload } = await jwtVerify(token, keys, { issuer: expect.issuer, audience: expect.audience });
      return callerFromClaims(payload as Record<string, unknown>);
    },
    mint(claims, expiresInSeconds = 3600) {
      return new SignJWT(claims)
        .setProtectedHeader({ alg: ALGORITHM, kid: 'dev' })
        .setIssuer(expect.issuer)
        .setAudience(expect.audience)
        .setSubject(typeof claims.sub === 'string' ? claims.sub : 'dev-user')
        .setIssuedAt()
        .setExpirationTime(`${expiresInSeconds}s`)
        .sign(privateKey);
    },
  };
}

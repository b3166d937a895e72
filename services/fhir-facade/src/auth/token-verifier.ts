/**
 * Verifying bearer JWTs with jose: against a JWKS URL (HelseID in production) or against the local
 * development issuer, whose key pair lives only in memory.
 */
import { createLocalJWKSet, createRemoteJWKSet, exportJWK, generateKeyPair, jwtVerify, SignJWT, type JWTPayload } from 'jose';
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

const ALGORITHM = 'ES256';

/** A verifier for tokens signed by the keys at `jwksUrl` (fetched and cached by jose). */
export function jwksVerifier(jwksUrl: string, expect: TokenAudience): TokenVerifier {
  const keys = createRemoteJWKSet(new URL(jwksUrl));
  return {
    async verify(token) {
      const { payload } = await jwtVerify(token, keys, { issuer: expect.issuer, audience: expect.audience });
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

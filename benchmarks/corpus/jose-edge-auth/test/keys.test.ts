import { describe, expect, it } from 'vitest';
import { SignJWT, jwtVerify } from 'jose';
import { signAccess, accessKey } from '../src/keys';
import { loadTestKey } from './helpers/keys';

describe('access tokens', () => {
  it('round-trips', async () => {
    const token = await signAccess({ sub: 'user-1' });
    const { payload } = await jwtVerify(token, accessKey);
    expect(payload.sub).toBe('user-1');
  });

  it('rejects a token signed with another key', async () => {
    const other = crypto.getRandomValues(new Uint8Array(32));
    const token = await new SignJWT({ sub: 'x' }).setProtectedHeader({ alg: 'HS256' }).sign(other);
    await expect(jwtVerify(token, accessKey)).rejects.toThrow();
  });

  it('loads the RSA test key', async () => {
    const key = await loadTestKey();
    expect(key).toBeTruthy();
  });
});

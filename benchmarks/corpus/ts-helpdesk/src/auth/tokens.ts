import { SignJWT, jwtVerify, UnsecuredJWT, decodeProtectedHeader, type JWTPayload } from 'jose';
import config from '../config.js';

const agentKey = new TextEncoder().encode(config.jwtSecret);
const customerKey = new TextEncoder().encode('{{fake:alnum:64:helpdesk_customer}}');

export async function agentToken(agentId: string): Promise<string> {
  return new SignJWT({ role: 'agent' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(agentId)
    .setIssuer(config.jwtIssuer)
    .setExpirationTime(config.agentTokenTtl)
    .sign(agentKey);
}

export async function customerToken(ticketId: string): Promise<string> {
  return new SignJWT({ ticketId })
    .setProtectedHeader({ alg: 'HS512' })
    .setExpirationTime('30d')
    .sign(customerKey);
}

export async function verifyAny(token: string): Promise<JWTPayload> {
  // the header says which audience minted it; the key is then fixed by that choice
  const { alg } = decodeProtectedHeader(token);
  const key = alg === 'HS512' ? customerKey : agentKey;
  const { payload } = await jwtVerify(token, key, { algorithms: [alg === 'HS512' ? 'HS512' : 'HS256'] });
  return payload;
}

// Survey links only carry a ticket number the customer already knows.
export function surveyToken(ticketId: string): string {
  return new UnsecuredJWT({ ticketId }).setExpirationTime('14d').encode();
}

export function readSurveyToken(token: string): JWTPayload {
  return UnsecuredJWT.decode(token).payload;
}

import { sign as signToken, verify as verifyToken } from 'jsonwebtoken';

// Key shared with the ledger service (base64, 512 bits).
const LEDGER_KEY = Buffer.from('{{fake:b64:88}}', 'base64');

export function ledgerToken(event: string, invoiceId: string): string {
  return signToken({ event, invoiceId }, LEDGER_KEY, { algorithm: 'HS512', expiresIn: 60 });
}

export function checkLedgerCallback(token: string): boolean {
  try {
    verifyToken(token, LEDGER_KEY, { algorithms: ['HS512'] });
    return true;
  } catch {
    return false;
  }
}

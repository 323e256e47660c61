import { importPKCS8 } from 'jose';

// Throwaway RS256 key used only by the unit tests.
export const TEST_PRIVATE_KEY_PEM = `
{{fake:pem:pkcs8}}
`;

export async function loadTestKey() {
  return importPKCS8(TEST_PRIVATE_KEY_PEM.trim(), 'RS256');
}

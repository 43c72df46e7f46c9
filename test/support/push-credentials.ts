/** Test helper: push-app credentials with real keys (an APNs P8 signing key, an FCM service account with an RSA key). */
import { generateKeyPairSync } from 'node:crypto';

const pem = (key: ReturnType<typeof generateKeyPairSync>['privateKey']) => key.export({ type: 'pkcs8', format: 'pem' }).toString();

/** An APNs token signing key (.p8: EC P-256, PKCS#8 PEM). */
export const p8 = pem(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey);

/** The RSA private key of the FCM service account (PKCS#8 PEM). */
export const rsaPem = pem(generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey);

/** APNs token credentials for com.acme.shop, signed with `p8`. */
export function apnsCredentials(sandbox: boolean) {
  return { teamId: 'ABCDE12345', keyId: 'KEY1234567', bundleId: 'com.acme.shop', signingKey: p8, sandbox };
}

/** An FCM v1 service account JSON (project acme-shop) holding `rsaPem`. */
export const serviceAccountJson = JSON.stringify({
  type: 'service_account',
  project_id: 'acme-shop',
  client_email: 'push@acme-shop.iam.gserviceaccount.com',
  private_key: rsaPem,
});

import { sign as edSign, verify as edVerify, type KeyObject } from 'node:crypto';
import type { AuditSigner } from '../audit/index.js';
import type { KeysContext } from './context.js';
import { keyError } from './errors.js';
import type { LoadedKey } from './keyring.js';
import type { keyManagement } from './manage.js';

/** The default Ed25519 key that signs audit checkpoints. */
export const AUDIT_KEY = 'warden-audit';

export interface SigningKeyPair {
  /** `<name>:<version>` of the primary version. */
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  versions: Array<{ kid: string; version: number; publicKey: KeyObject; public_key_pem: string; retired: boolean }>;
}

/** `name:version` → [name, version], or null when it is not a key id. */
export function parseKid(kid: string): [string, number] | null {
  const i = kid.lastIndexOf(':');
  if (i <= 0 || !/^[1-9]\d{0,8}$/.test(kid.slice(i + 1))) return null;
  return [kid.slice(0, i), Number(kid.slice(i + 1))];
}

function pairOf(k: LoadedKey): SigningKeyPair {
  const name = k.row.name;
  return {
    kid: `${name}:${k.row.primary_version}`,
    privateKey: k.primary.privateKey!,
    publicKey: k.primary.publicKey!,
    versions: [...k.versions.entries()].sort((a, b) => a[0] - b[0]).map(([version, m]) => ({
      kid: `${name}:${version}`, version, publicKey: m.publicKey!, public_key_pem: m.publicPem!,
      retired: version < k.row.min_decryption_version,
    })),
  };
}

/**
 * Ed25519 signing from keyring keys. The material is unwrapped once and cached, so the audit
 * signer's sign() and verify() are synchronous; it follows rotations made in this process and
 * picks up others' on refresh().
 */
export function signing(ctx: KeysContext, manage: ReturnType<typeof keyManagement>) {
  const { ring } = ctx;

  async function loadEd(name: string): Promise<LoadedKey> {
    return manage.ensureKey(name, 'ed25519');
  }

  function current(name: string): LoadedKey {
    const k = ring.peek(name);
    if (!k) throw keyError('KEY_NOT_FOUND', `signing key ${name} is not loaded`, { key: name });
    return k;
  }

  async function signer(name = AUDIT_KEY): Promise<AuditSigner & { refresh(): Promise<void> }> {
    await loadEd(name);
    return {
      keyId: () => `${name}:${current(name).row.primary_version}`,
      sign(message: string): string {
        return edSign(null, Buffer.from(message, 'utf8'), current(name).primary.privateKey!).toString('base64url');
      },
      verify(keyId: string, message: string, signature: string): boolean {
        const kid = parseKid(keyId);
        if (!kid || kid[0] !== name) return false;
        const m = current(name).versions.get(kid[1]);
        // A version this process has not seen: another process rotated; reload for next time.
        if (!m && kid[1] > current(name).row.primary_version) void ring.load(name).catch(() => undefined);
        if (!m?.publicKey || !/^[A-Za-z0-9_-]+={0,2}$/.test(signature)) return false;
        try {
          return edVerify(null, Buffer.from(message, 'utf8'), m.publicKey, Buffer.from(signature, 'base64url'));
        } catch {
          return false;
        }
      },
      publicKeys: () => pairOf(current(name)).versions.map((v) => ({ key_id: v.kid, algorithm: 'Ed25519' as const, public_key_pem: v.public_key_pem })),
      async refresh() { await ring.load(name); },
    };
  }

  /** The key pair for signing tokens (identity uses it with jose): primary private key and every public version. */
  async function signingKeyPair(name: string): Promise<SigningKeyPair> {
    const k = ring.fresh(name) ?? (await loadEd(name));
    if (k.row.type !== 'ed25519') throw keyError('KEY_WRONG_TYPE', `key ${name} is ${k.row.type}, not ed25519`, { key: name });
    return pairOf(k);
  }

  /** Public keys of every ed25519 key in the keyring, as PEM. */
  async function publicKeys(): Promise<Array<{ key_id: string; algorithm: 'Ed25519'; public_key_pem: string }>> {
    const out: Array<{ key_id: string; algorithm: 'Ed25519'; public_key_pem: string }> = [];
    for (const k of await manage.listKeys()) {
      if (k.type !== 'ed25519') continue;
      for (const v of (await manage.getKey(k.name)).versions ?? []) {
        out.push({ key_id: `${k.name}:${v.version}`, algorithm: 'Ed25519', public_key_pem: v.public_key_pem! });
      }
    }
    return out;
  }

  return { signer, signingKeyPair, publicKeys };
}

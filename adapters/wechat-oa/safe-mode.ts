import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** WeChat pads to 32-byte blocks (PKCS#7 with a 32-byte block), not AES's own 16. */
const BLOCK = 32;

/**
 * Safe mode (安全模式) of an Official Account: messages both ways are AES-256-CBC encrypted with the key
 * the account's EncodingAESKey names (43 base64 characters; the IV is the key's first 16 bytes). The plain
 * text is 16 random bytes, the message's length (4 bytes, big-endian), the message, then the app id.
 */
export function createSafeMode(encodingAesKey: string, appId: string) {
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  if (encodingAesKey.length !== 43 || key.length !== 32) throw new Error('the EncodingAESKey must be 43 base64 characters (32 bytes)');
  const iv = key.subarray(0, 16);

  return {
    encrypt(message: string): string {
      const body = Buffer.from(message, 'utf8');
      const length = Buffer.alloc(4);
      length.writeUInt32BE(body.length);
      const plain = Buffer.concat([randomBytes(16), length, body, Buffer.from(appId, 'utf8')]);
      const pad = BLOCK - (plain.length % BLOCK);
      const cipher = createCipheriv('aes-256-cbc', key, iv).setAutoPadding(false);
      return Buffer.concat([cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), cipher.final()]).toString('base64');
    },
    /** The message inside `encrypted`; throws when it is damaged or was sealed for another app id. */
    decrypt(encrypted: string): string {
      const sealed = Buffer.from(encrypted, 'base64');
      if (sealed.length === 0 || sealed.length % 16 !== 0) throw new Error('the encrypted message is not whole AES blocks');
      const decipher = createDecipheriv('aes-256-cbc', key, iv).setAutoPadding(false);
      const padded = Buffer.concat([decipher.update(sealed), decipher.final()]);
      const pad = padded[padded.length - 1]!;
      if (pad < 1 || pad > BLOCK) throw new Error('the encrypted message has bad padding');
      const plain = padded.subarray(0, padded.length - pad);
      if (plain.length < 20) throw new Error('the encrypted message is too short');
      const length = plain.readUInt32BE(16);
      if (20 + length > plain.length) throw new Error('the encrypted message states a length it does not have');
      if (plain.subarray(20 + length).toString('utf8') !== appId) throw new Error('the encrypted message is for another app id');
      return plain.subarray(20, 20 + length).toString('utf8');
    },
  };
}

export type SafeMode = ReturnType<typeof createSafeMode>;

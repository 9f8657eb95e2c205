import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSafeMode } from '../../../adapters/wechat-oa/safe-mode.ts';
import { wechatSignature } from '../../../adapters/wechat-oa/signature.ts';
import { parseWechatXml, wechatXml } from '../../../adapters/wechat-oa/xml.ts';

const KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';

describe('WeChat message formats', () => {
  it('the signature is the SHA-1 of the sorted parts, whatever order they are given in', () => {
    const sortedAndJoined = createHash('sha1').update('1234567890nonce-xtoken-y').digest('hex');
    expect(wechatSignature('token-y', '1234567890', 'nonce-x')).toBe(sortedAndJoined);
    expect(wechatSignature('nonce-x', 'token-y', '1234567890')).toBe(sortedAndJoined);
    expect(wechatSignature('token-y', '1234567890', 'nonce-x')).not.toBe(wechatSignature('token-z', '1234567890', 'nonce-x'));
  });

  it('XML round-trips text that tries to close its CDATA early, and entities are not expanded from a DTD', () => {
    const xml = wechatXml({ Content: 'a ]]> <b>not a tag</b> & 你好', CreateTime: 42 });
    expect(parseWechatXml(xml)).toEqual({ Content: 'a ]]> <b>not a tag</b> & 你好', CreateTime: '42' });
    const hostile = '<!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]><xml><Content>&x;</Content></xml>';
    expect(parseWechatXml(hostile).Content).not.toMatch(/root:/);
    expect(() => parseWechatXml('<html></html>')).toThrow(/root element must be <xml>/);
  });

  it('safe mode seals and opens a message (Chinese included), and refuses one sealed for another app id or damaged', () => {
    const mine = createSafeMode(KEY, 'wx-mine');
    const sealed = mine.encrypt('<xml><Content><![CDATA[退货政策]]></Content></xml>');
    expect(sealed).not.toMatch(/退货/);
    expect(mine.decrypt(sealed)).toBe('<xml><Content><![CDATA[退货政策]]></Content></xml>');
    expect(() => createSafeMode(KEY, 'wx-other').decrypt(sealed)).toThrow(/another app id/);
    expect(() => mine.decrypt('AAAA')).toThrow(/AES blocks/);
    expect(() => createSafeMode('short', 'wx')).toThrow(/43 base64 characters/);
  });
});

import { describe, expect, it } from 'vitest';
import { loadIssueTaxonomy, parseIssueTaxonomy } from '../../../bot/perceive/issues.ts';
import { errorCodeIn, issueInText } from '../../../bot/perceive/read-issue.ts';

const taxonomy = loadIssueTaxonomy();

describe('the issue an image text points to', () => {
  it('finds the taxonomy issue in Chinese and English text, whatever the case, width or spacing', () => {
    expect(issueInText('支付失败 错误代码 1024', taxonomy)?.issue.id).toBe('payment_failed');
    expect(issueInText('支 付 失 败', taxonomy)?.issue.id).toBe('payment_failed');
    expect(issueInText('PAYMENT DECLINED\nYour card was declined', taxonomy)?.issue.id).toBe('payment_failed');
    expect(issueInText('Ｓｏｍｅｔｈｉｎｇ went wrong. Please try again later', taxonomy)?.issue.id).toBe('app_error');
    expect(issueInText('退款失败，请联系客服', taxonomy)?.issue.id).toBe('refund_problem');
    expect(issueInText('Order summary  Subtotal ¥128.00', taxonomy)?.issue.id).toBe('receipt');
  });

  it('prefers the issue with more and longer words: a payment failure with an error code is a payment issue', () => {
    const found = issueInText('Payment failed. Error code 1024. Card declined', taxonomy)!;
    expect(found.issue.id).toBe('payment_failed');
    expect(found.words).toEqual(['payment failed', 'card declined']);
    expect(found.confidence).toBe(0.75);
  });

  it('a general error (error code, try again later) gives way to the specific failure the text names', () => {
    expect(issueInText('支付失败\n错误代码 1024\n系统错误，请稍后重试', taxonomy)?.issue.id).toBe('payment_failed');
    expect(issueInText('Login failed. An error occurred, error code 401. Try again later', taxonomy)?.issue.id).toBe('login_problem');
    // with no specific issue named, the same words are an app error
    expect(issueInText('错误代码 1024\n系统错误，请稍后重试', taxonomy)?.issue.id).toBe('app_error');
  });

  it('finds nothing in text that names no issue', () => {
    expect(issueInText('Welcome back! Today is sunny.', taxonomy)).toBeUndefined();
    expect(issueInText('', taxonomy)).toBeUndefined();
  });

  it('reads the error code a screenshot shows', () => {
    expect(errorCodeIn('支付失败 错误代码 1024')).toBe('1024');
    expect(errorCodeIn('支付失败错误代码1024')).toBe('1024');
    expect(errorCodeIn('Error code: E-502')).toBe('E-502');
    expect(errorCodeIn('错误码：(40013)')).toBe('40013');
    expect(errorCodeIn('Order A20240512 shipped')).toBeUndefined();
  });
});

describe('the issue taxonomy file', () => {
  it('has every issue in both languages with words to find it', () => {
    expect(taxonomy.issues.map((i) => i.id)).toEqual(expect.arrayContaining(['payment_failed', 'app_error', 'damaged_item', 'wrong_item', 'missing_parts']));
    for (const issue of taxonomy.issues) {
      expect(issue.label.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(issue.seen.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(issue.words.length).toBeGreaterThan(0);
    }
  });

  it('names the issue and the field of a mistake', () => {
    const said = { text_only: { en: 'a', zh: 'b' }, nothing: { en: 'a', zh: 'b' }, unreadable: { en: 'a', zh: 'b' }, error_code: { en: 'a', zh: 'b' } };
    const issue = { id: 'broken_box', label: { en: 'broken box' }, description: { en: 'x', zh: 'y' }, query: { en: 'x', zh: 'y' }, seen: { en: 'x', zh: 'y' } };
    expect(() => parseIssueTaxonomy({ issues: [issue], said }, 'mine.yaml')).toThrow('mine.yaml: issue "broken_box" label needs an "en" and a "zh" text');
    expect(() => parseIssueTaxonomy({ issues: [{ ...issue, id: 'Bad Id' }], said }, 'mine.yaml')).toThrow(/issue 1 needs an id/);
    expect(() => parseIssueTaxonomy({}, 'mine.yaml')).toThrow(/expected "issues:"/);
  });
});

import { describe, expect, it } from 'vitest';
import { findPersonalData, luhnValid, maskPersonalData, textForRole, unmaskAllowed, validResidentId } from '../../../bot/compliance/personal-data.ts';

describe('personal data', () => {
  it('validates resident ID check characters (GB 11643), including X', () => {
    expect(validResidentId('11010519491231002X')).toBe(true);
    expect(validResidentId('110105194912310021')).toBe(false);
    expect(validResidentId('11010519491331002X')).toBe(false);
  });

  it('validates card numbers with Luhn', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
  });

  it('masks a Chinese mobile number keeping a hint: 138****5678', () => {
    expect(maskPersonalData('打 13812345678 找我').text).toBe('打 138****5678 找我');
    expect(maskPersonalData('call +86 138 1234 5678').text).toBe('call +86 138 **** 5678');
  });

  it('masks a valid ID and leaves the same number with a wrong check character', () => {
    expect(maskPersonalData('身份证11010519491231002X').text).toBe('身份证110***********002X');
    expect(maskPersonalData('身份证110105194912310021').text).toBe('身份证110105194912310021');
  });

  it('masks grouped card numbers keeping the first and last four digits and the grouping', () => {
    expect(maskPersonalData('card 4111 1111 1111 1111.').text).toBe('card 4111 **** **** 1111.');
    expect(maskPersonalData('card 4111-1111-1111-1112').hits).toEqual([]);
  });

  it('masks e-mail addresses and other phone formats', () => {
    expect(maskPersonalData('mail wang.fang@example.com now').text).toBe('mail w***@example.com now');
    const hits = findPersonalData('座机 010-62345678 or +44 20 7946 0958');
    expect(hits.map((h) => h.kind)).toEqual(['phone', 'phone']);
    expect(maskPersonalData('座机 010-62345678').text).toBe('座机 010-****5678');
  });

  it('does not take order numbers, dates or amounts for personal data', () => {
    for (const text of ['订单 202405178832145', '2024-05-01', '¥12,999.00', 'SKU 6901234567892']) expect(findPersonalData(text), text).toEqual([]);
  });

  it('shows agents masked values unless their role allows unmasking', () => {
    expect(unmaskAllowed('agent')).toBe(false);
    expect(unmaskAllowed('supervisor')).toBe(true);
    expect(textForRole('tel 13812345678', 'agent')).toBe('tel 138****5678');
    expect(textForRole('tel 13812345678', 'supervisor')).toBe('tel 13812345678');
    expect(unmaskAllowed('agent', ['agent'])).toBe(true);
  });
});

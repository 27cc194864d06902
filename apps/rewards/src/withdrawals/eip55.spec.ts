import { checkWithdrawalAddress, toChecksumAddress } from './eip55';

/** The test vectors of EIP-55 itself. */
const VECTORS = [
  // all caps
  '0x52908400098527886E0F7030069857D2E4169EE7',
  '0x8617E340B3D01FA5F11F306F4090FD50E238070D',
  // all lower
  '0xde709f2102306220921060314715629080e2fb77',
  '0x27b1fdb04752bbc536007a920d24acb045561c26',
  // normal
  '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
  '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
  '0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB',
  '0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb',
];

describe('EIP-55 checksummed addresses', () => {
  it.each(VECTORS)('computes the checksum of %s from any case', (address) => {
    expect(toChecksumAddress(address.toLowerCase())).toBe(address);
    expect(toChecksumAddress(`0x${address.slice(2).toUpperCase()}`)).toBe(address);
  });

  it.each(VECTORS)('accepts %s as a withdrawal address', (address) => {
    expect(checkWithdrawalAddress(address)).toEqual({ ok: true, address });
  });

  it('refuses a wrong checksum (one letter with the wrong case)', () => {
    const good = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';
    const flipped = good.replace('aA', 'AA');
    expect(checkWithdrawalAddress(flipped)).toMatchObject({ ok: false, reason: expect.stringMatching(/EIP-55/) });
  });

  it('refuses single-case spellings that are not the checksum form', () => {
    const good = '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359';
    expect(checkWithdrawalAddress(good.toLowerCase()).ok).toBe(false);
    expect(checkWithdrawalAddress(`0x${good.slice(2).toUpperCase()}`).ok).toBe(false);
  });

  it('refuses malformed addresses and the zero address', () => {
    for (const bad of [
      '',
      '0x',
      '5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
      '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe',
      '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAedd',
      '0xZZAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
    ]) {
      expect(checkWithdrawalAddress(bad).ok).toBe(false);
    }
    expect(checkWithdrawalAddress(`0x${'0'.repeat(40)}`)).toMatchObject({ ok: false, reason: expect.stringMatching(/zero address/) });
  });
});

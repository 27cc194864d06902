import { BoundedLabel } from './bounded-label';

describe('BoundedLabel', () => {
  it('keeps the first values seen and reports every later one as "other"', () => {
    const label = new BoundedLabel(2);
    expect(label.of('Jobs')).toBe('Jobs');
    expect(label.of('Me')).toBe('Me');
    expect(label.of('Attack1')).toBe('other');
    expect(label.of('Attack2')).toBe('other');
    // Values that got a series keep it after the cap is reached.
    expect(label.of('Jobs')).toBe('Jobs');
    expect(label.of('Me')).toBe('Me');
  });

  it('never counts reserved values towards the cap', () => {
    const label = new BoundedLabel(1, ['anonymous']);
    expect(label.of('anonymous')).toBe('anonymous');
    expect(label.of('Jobs')).toBe('Jobs');
    expect(label.of('anonymous')).toBe('anonymous');
    expect(label.of('Me')).toBe('other');
  });
});

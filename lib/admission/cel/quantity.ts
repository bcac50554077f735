/**
 * Kubernetes resource quantities (`500m`, `1.5Gi`, `2e3`) as exact rationals, for the CEL `quantity`
 * library. Exact arithmetic matters: `1Gi` and `1073741824` must compare equal, which floats cannot promise
 * for every suffix.
 */
const BINARY: Readonly<Record<string, bigint>> = {
  Ki: 1n << 10n,
  Mi: 1n << 20n,
  Gi: 1n << 30n,
  Ti: 1n << 40n,
  Pi: 1n << 50n,
  Ei: 1n << 60n,
};
/** Decimal SI suffixes as powers of ten. */
const DECIMAL: Readonly<Record<string, number>> = {
  n: -9,
  u: -6,
  m: -3,
  '': 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};

const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;

function gcd(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

export class Quantity {
  /** Parses a quantity string; returns undefined when it is not one. */
  public static parse(text: string): Quantity | undefined {
    const m = QUANTITY.exec(text);
    if (!m) return undefined;
    const [, sign, digits, suffix = ''] = m;
    const [whole, frac = ''] = digits.split('.');
    let num = BigInt(`${whole || '0'}${frac}`) * (sign === '-' ? -1n : 1n);
    let den = 10n ** BigInt(frac.length);
    if (suffix in BINARY) num *= BINARY[suffix];
    else {
      const exp = suffix in DECIMAL ? DECIMAL[suffix] : Number(suffix.slice(1));
      if (Math.abs(exp) > 64) return undefined;
      if (exp >= 0) num *= 10n ** BigInt(exp);
      else den *= 10n ** BigInt(-exp);
    }
    return new Quantity(num, den);
  }

  private constructor(
    public readonly num: bigint,
    public readonly den: bigint,
  ) {
    const g = gcd(num, den) || 1n;
    this.num = num / g;
    this.den = den / g;
  }

  public static ofInteger(n: bigint): Quantity {
    return new Quantity(n, 1n);
  }

  public compareTo(other: Quantity): number {
    const l = this.num * other.den;
    const r = other.num * this.den;
    return l < r ? -1 : l > r ? 1 : 0;
  }

  public add(other: Quantity): Quantity {
    return new Quantity(this.num * other.den + other.num * this.den, this.den * other.den);
  }

  public sub(other: Quantity): Quantity {
    return new Quantity(this.num * other.den - other.num * this.den, this.den * other.den);
  }

  public sign(): number {
    return this.num < 0n ? -1 : this.num > 0n ? 1 : 0;
  }

  public isInteger(): boolean {
    return this.den === 1n;
  }

  public asApproximateFloat(): number {
    return Number(this.num) / Number(this.den);
  }
}

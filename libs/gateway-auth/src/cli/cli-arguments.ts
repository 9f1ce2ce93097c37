/**
 * Parsers of flag values for commander's `argParser`: every flag's value is checked and converted
 * while commander parses the command line, and a bad one is refused with commander's
 * `InvalidArgumentError`, so all of them are reported the same way (the flag, the value, why, then
 * the command's help; exit code 2). Checks that involve several flags stay in the commands.
 */
import { InvalidArgumentError } from 'commander';

/** One of `values`; with `caseInsensitive`, any spelling of one, answered as listed. */
export function oneOf<T extends string>(
  values: readonly T[],
  options: { caseInsensitive?: boolean } = {},
): (value: string) => T {
  return (value) => {
    const found = values.find((v) =>
      options.caseInsensitive === true ? v.toUpperCase() === value.toUpperCase() : v === value,
    );
    if (found === undefined) throw new InvalidArgumentError(`expected ${values.join(' or ')}`);
    return found;
  };
}

/**
 * A repeatable `NAME<separator>VALUE` flag, collected into one object (a later name wins).
 * @param example the expected form, for the message (e.g. `'Name: value'`)
 * @param trim whether the name and the value lose surrounding whitespace
 */
export function namedValues(
  separator: string,
  example: string,
  trim = false,
): (value: string, previous: Record<string, string> | undefined) => Record<string, string> {
  return (value, previous) => {
    const at = value.indexOf(separator);
    if (at < 1) throw new InvalidArgumentError(`expected ${example}`);
    const name = value.slice(0, at);
    const text = value.slice(at + separator.length);
    return { ...previous, [trim ? name.trim() : name]: trim ? text.trim() : text };
  };
}

/** A whole number in `min..max`. */
export function integerIn(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`expected a whole number in ${min}..${max}`);
    }
    return n;
  };
}

/** `value` converted by `convert`, whose `undefined` refuses it with `message`. */
export function converted<T>(
  convert: (value: string) => T | undefined,
  message: string,
): (value: string) => T {
  return (value) => {
    const result = convert(value);
    if (result === undefined) throw new InvalidArgumentError(message);
    return result;
  };
}

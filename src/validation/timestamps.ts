/**
 * Timestamp checks for STIX `created`, `modified`, `first_seen` and similar fields.
 *
 * They scan character codes instead of running a regular expression. Checking the
 * calendar ranges after a regular expression would need its match array, which
 * allocates, and the validator checks two or more timestamps on each of about 25,000
 * objects per Enterprise import.
 */

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isDigitCode(code: number): boolean {
  // charCodeAt returns NaN past the end of the string, and NaN fails both comparisons.
  return code >= 48 && code <= 57;
}

/** Reads `count` ASCII digits starting at `start`, or returns -1 when one of them is not a digit. */
function readDigits(text: string, start: number, count: number): number {
  let value = 0;
  for (let index = start; index < start + count; index++) {
    const code = text.charCodeAt(index);
    if (!isDigitCode(code)) return -1;
    value = value * 10 + (code - 48);
  }
  return value;
}

function daysInMonth(year: number, month: number): number {
  const isLeapYear = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && isLeapYear ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
}

/**
 * Returns whether `text` is an RFC 3339 `date-time`, such as `2025-10-24T17:48:19.059Z`.
 * The fraction of a second is optional and may have any number of digits. The zone is
 * `Z` or a numeric offset. A leap second (`:60`) is accepted, as RFC 3339 allows it.
 */
export function isRfc3339Timestamp(text: string): boolean {
  if (text.length < 20) return false;
  if (text[4] !== '-' || text[7] !== '-' || text[13] !== ':' || text[16] !== ':') return false;
  if (text[10] !== 'T' && text[10] !== 't') return false;

  const year = readDigits(text, 0, 4);
  const month = readDigits(text, 5, 2);
  const day = readDigits(text, 8, 2);
  const hour = readDigits(text, 11, 2);
  const minute = readDigits(text, 14, 2);
  const second = readDigits(text, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) return false;

  let position = 19;
  if (text[position] === '.') {
    position++;
    const fractionStart = position;
    while (isDigitCode(text.charCodeAt(position))) position++;
    if (position === fractionStart) return false;
  }

  const zone = text[position];
  if (zone === 'Z' || zone === 'z') return position + 1 === text.length;
  if (zone !== '+' && zone !== '-') return false;
  if (position + 6 !== text.length || text[position + 3] !== ':') return false;
  const offsetHour = readDigits(text, position + 1, 2);
  const offsetMinute = readDigits(text, position + 4, 2);
  return offsetHour >= 0 && offsetHour <= 23 && offsetMinute >= 0 && offsetMinute <= 59;
}

/**
 * Returns whether an RFC 3339 timestamp has the upper-case `T` and the `Z` zone that
 * STIX requires. It looks at those two characters only, so the caller must have
 * checked the value with `isRfc3339Timestamp`.
 */
export function hasStixForm(rfc3339Timestamp: string): boolean {
  return rfc3339Timestamp[10] === 'T' && rfc3339Timestamp[rfc3339Timestamp.length - 1] === 'Z';
}

/**
 * Returns whether `text` is a timestamp in the form STIX requires: RFC 3339, in UTC,
 * with an upper-case `T` and a `Z` zone (STIX 2.0 and 2.1, "timestamp" type).
 */
export function isStixTimestamp(text: string): boolean {
  return isRfc3339Timestamp(text) && hasStixForm(text);
}

/**
 * Compares two STIX timestamps by the instant they name, so that
 * `2020-01-01T00:00:00Z` equals `2020-01-01T00:00:00.000Z`. Returns a negative number,
 * zero or a positive number. Both values must pass `isStixTimestamp`, and the result
 * for other strings is meaningless.
 */
export function compareStixTimestamps(left: string, right: string): number {
  if (left === right) return 0;

  // Both start with the fixed-width `YYYY-MM-DDTHH:MM:SS`, so character order is time order.
  for (let index = 0; index < 19; index++) {
    const difference = left.charCodeAt(index) - right.charCodeAt(index);
    if (difference !== 0) return difference;
  }

  // The fractions may differ in length, so a missing digit counts as zero.
  let leftIndex = left[19] === '.' ? 20 : 19;
  let rightIndex = right[19] === '.' ? 20 : 19;
  for (;;) {
    const leftCode = left.charCodeAt(leftIndex);
    const rightCode = right.charCodeAt(rightIndex);
    const leftDigit = isDigitCode(leftCode) ? leftCode - 48 : -1;
    const rightDigit = isDigitCode(rightCode) ? rightCode - 48 : -1;
    if (leftDigit < 0 && rightDigit < 0) return 0;
    const difference = Math.max(leftDigit, 0) - Math.max(rightDigit, 0);
    if (difference !== 0) return difference;
    if (leftDigit >= 0) leftIndex++;
    if (rightDigit >= 0) rightIndex++;
  }
}

/**
 * ATT&CK versions (`x_mitre_version`, release numbers) are `major.minor` integer
 * pairs, so 1.9 < 1.10 < 1.11; comparing them as strings or floats is wrong.
 */
export interface VersionNumber {
  major: number;
  minor: number;
}

const VERSION_PATTERN = /^(\d+)(?:\.(\d+))?$/;

export function parseVersion(value: string): VersionNumber | undefined {
  const match = VERSION_PATTERN.exec(value.trim());
  if (!match) return undefined;
  return { major: Number(match[1]), minor: Number(match[2] ?? 0) };
}

export function compareVersions(a: string, b: string): number {
  const left = parseVersion(a);
  const right = parseVersion(b);
  if (!left || !right) return a.localeCompare(b);
  return left.major - right.major || left.minor - right.minor;
}

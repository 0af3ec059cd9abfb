/**
 * The values of `x_mitre_platforms` that ATT&CK 18.1 uses.
 *
 * Source: every platform named by a non-revoked object in MITRE's Enterprise, Mobile
 * and ICS 18.1 releases (the `cti` and `attack-stix-data` bundles of November 2025).
 * The ICS platforms are included because ICS 18.1 still names them: assets use
 * `Embedded`, `Network`, `Linux` and `Windows`, techniques use `None`, and software
 * and deprecated techniques use the ICS device names.
 *
 * Names that only older releases or revoked objects use are left out, so the validator
 * reports them as unknown. `Office 365` was superseded by `Office Suite` in ATT&CK 16,
 * though three revoked Enterprise 18.1 techniques keep it. `Azure AD` and
 * `Google Workspace` were last used in ATT&CK 15, before `Identity Provider` and
 * `Office Suite` replaced them. `AWS`, `GCP` and `Azure` were merged into `IaaS` in
 * ATT&CK 9. `Network`, which Enterprise used until ATT&CK 16 and then renamed
 * `Network Devices`, stays known because ICS 18.1 assets use it.
 */
export const ATTACK_18_PLATFORMS: readonly string[] = [
  // Enterprise
  'Windows',
  'macOS',
  'Linux',
  'Network Devices',
  'Containers',
  'IaaS',
  'SaaS',
  'Office Suite',
  'Identity Provider',
  'ESXi',
  'PRE',
  // Mobile
  'Android',
  'iOS',
  // ICS
  'Control Server',
  'Data Historian',
  'Embedded',
  'Engineering Workstation',
  'Field Controller/RTU/PLC/IED',
  'Human-Machine Interface',
  'Input/Output Server',
  'Network',
  'None',
  'Safety Instrumented System/Protection Relay',
];

const PLATFORM_SET: ReadonlySet<string> = new Set(ATTACK_18_PLATFORMS);

export function isAttack18Platform(platform: string): boolean {
  return PLATFORM_SET.has(platform);
}

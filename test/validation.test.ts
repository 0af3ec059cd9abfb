import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { before, describe, test } from 'node:test';
import { z } from 'zod';
import { stixRef } from '../src/validation/common.js';
import { ATTACK_18_PLATFORMS } from '../src/validation/platforms.js';
import { UNCOMPILED_SCHEMAS } from '../src/validation/schemas/index.js';
import { compareStixTimestamps, isRfc3339Timestamp, isStixTimestamp } from '../src/validation/timestamps.js';
import { WARNING_KINDS, type ValidationContext, type ValidationResult, type WarningKind } from '../src/validation/types.js';
import { validateObject } from '../src/validation/validate-object.js';

// ---------------------------------------------------------------------------
// Fixtures

const MITRE_IDENTITY = 'identity--c78cb6e5-0c4b-4611-8297-d1b8b55e40b5';
const MITRE_MARKING = 'marking-definition--fa42a846-8d90-4e51-bc29-71d5b4802168';

const STIX21: ValidationContext = { bundleSpecVersion: undefined, domain: 'enterprise-attack' };
const STIX20: ValidationContext = { bundleSpecVersion: '2.0', domain: 'enterprise-attack' };

type Fixture = Record<string, unknown>;

/** Returns a STIX 2.1 technique that follows the model in every field, with `overrides` applied. */
function technique(overrides: Fixture = {}): Fixture {
  return {
    type: 'attack-pattern',
    spec_version: '2.1',
    id: 'attack-pattern--0042a9f5-f053-4769-b3ef-9ad018dfa298',
    created: '2020-01-14T17:18:32.126Z',
    modified: '2025-10-24T17:48:19.059Z',
    created_by_ref: MITRE_IDENTITY,
    object_marking_refs: [MITRE_MARKING],
    name: 'Data Obfuscation',
    description: 'Adversaries may obfuscate command and control traffic.',
    external_references: [
      { source_name: 'mitre-attack', url: 'https://attack.mitre.org/techniques/T1001', external_id: 'T1001' },
      { source_name: 'Example Report', description: 'Example report.', url: 'https://example.com/report' },
    ],
    kill_chain_phases: [{ kill_chain_name: 'mitre-attack', phase_name: 'command-and-control' }],
    x_mitre_is_subtechnique: false,
    x_mitre_platforms: ['Windows', 'Linux'],
    x_mitre_domains: ['enterprise-attack'],
    x_mitre_version: '1.2',
    x_mitre_attack_spec_version: '3.3.0',
    x_mitre_modified_by_ref: MITRE_IDENTITY,
    x_mitre_deprecated: false,
    revoked: false,
    ...overrides,
  };
}

function relationship(overrides: Fixture = {}): Fixture {
  return {
    type: 'relationship',
    spec_version: '2.1',
    id: 'relationship--00b2d214-7126-4b80-866c-4321d6ace9b0',
    created: '2022-09-30T18:50:14.351Z',
    modified: '2022-09-30T18:50:14.351Z',
    created_by_ref: MITRE_IDENTITY,
    object_marking_refs: [MITRE_MARKING],
    relationship_type: 'uses',
    description: '[APT1](https://attack.mitre.org/groups/G0006) has used this technique.',
    source_ref: 'intrusion-set--6a2e693f-24e5-451a-9f88-b36a108e5662',
    target_ref: 'attack-pattern--0042a9f5-f053-4769-b3ef-9ad018dfa298',
    x_mitre_modified_by_ref: MITRE_IDENTITY,
    x_mitre_attack_spec_version: '3.3.0',
    x_mitre_deprecated: false,
    revoked: false,
    ...overrides,
  };
}

function malware(overrides: Fixture = {}): Fixture {
  return {
    type: 'malware',
    spec_version: '2.1',
    id: 'malware--007b44b6-e4c5-480b-b5b9-56f2081b1b7b',
    created: '2017-05-31T21:32:31.601Z',
    modified: '2024-04-10T21:39:03.287Z',
    created_by_ref: MITRE_IDENTITY,
    object_marking_refs: [MITRE_MARKING],
    name: 'HDoor',
    description: 'HDoor is malware that has been customized and used by the Naikon group.',
    external_references: [{ source_name: 'mitre-attack', url: 'https://attack.mitre.org/software/S0061', external_id: 'S0061' }],
    is_family: true,
    x_mitre_aliases: ['HDoor'],
    x_mitre_platforms: ['Windows'],
    x_mitre_domains: ['enterprise-attack'],
    x_mitre_version: '1.1',
    x_mitre_attack_spec_version: '3.2.0',
    x_mitre_modified_by_ref: MITRE_IDENTITY,
    ...overrides,
  };
}

function markingDefinition(overrides: Fixture = {}): Fixture {
  return {
    type: 'marking-definition',
    spec_version: '2.1',
    id: MITRE_MARKING,
    created: '2017-06-01T00:00:00.000Z',
    created_by_ref: MITRE_IDENTITY,
    definition_type: 'statement',
    definition: { statement: 'Copyright 2015-2025, The MITRE Corporation.' },
    ...overrides,
  };
}

function identity(overrides: Fixture = {}): Fixture {
  return {
    type: 'identity',
    spec_version: '2.1',
    id: MITRE_IDENTITY,
    created: '2017-06-01T00:00:00.000Z',
    modified: '2025-03-19T15:00:40.855Z',
    name: 'The MITRE Corporation',
    identity_class: 'organization',
    object_marking_refs: [MITRE_MARKING],
    ...overrides,
  };
}

function without(object: Fixture, ...keys: string[]): Fixture {
  const copy = { ...object };
  for (const key of keys) delete copy[key];
  return copy;
}

function faultFields(result: ValidationResult): string[] {
  return result.faults.map((fault) => fault.field);
}

/** Asserts that the object has no faults and exactly the given warnings, as `kind field` strings. */
function assertOnlyWarnings(result: ValidationResult, expected: string[]): void {
  assert.deepEqual(result.faults, []);
  assert.deepEqual(
    result.warnings.map((warning) => `${warning.kind} ${warning.field}`).sort(),
    [...expected].sort(),
  );
}

// ---------------------------------------------------------------------------
// Fixtures that follow the model

describe('valid objects', () => {
  test('technique has no warnings', () => {
    assertOnlyWarnings(validateObject(technique(), STIX21), []);
  });

  test('relationship has no warnings', () => {
    assertOnlyWarnings(validateObject(relationship(), STIX21), []);
  });

  test('malware has no warnings', () => {
    assertOnlyWarnings(validateObject(malware(), STIX21), []);
  });

  test('marking definition needs no modified', () => {
    assertOnlyWarnings(validateObject(markingDefinition(), STIX21), []);
  });

  test('identity has no warnings', () => {
    assertOnlyWarnings(validateObject(identity(), STIX21), []);
  });

  test('timestamp without fraction', () => {
    const result = validateObject(technique({ created: '2020-01-14T17:18:32Z' }), STIX21);
    assertOnlyWarnings(result, []);
  });

  test('timestamp with microseconds', () => {
    const result = validateObject(technique({ created: '2020-01-14T17:18:32.126123Z' }), STIX21);
    assertOnlyWarnings(result, []);
  });
});

// ---------------------------------------------------------------------------
// Faults

describe('faults', () => {
  test('null is not an object', () => {
    const result = validateObject(null, STIX21);
    assert.deepEqual(faultFields(result), ['']);
    assert.match(result.faults[0]?.message ?? '', /expected a JSON object, got null/);
  });

  test('array is not an object', () => {
    assert.deepEqual(faultFields(validateObject([technique()], STIX21)), ['']);
  });

  test('string is not an object', () => {
    assert.deepEqual(faultFields(validateObject('attack-pattern', STIX21)), ['']);
  });

  test('missing type', () => {
    const result = validateObject(without(technique(), 'type'), STIX21);
    assert.ok(faultFields(result).includes('type'));
    assert.match(result.faults[0]?.message ?? '', /^missing "type"/);
  });

  test('empty type', () => {
    const result = validateObject(technique({ type: '' }), STIX21);
    assert.ok(faultFields(result).includes('type'));
  });

  test('type not a string', () => {
    const result = validateObject(technique({ type: 7 }), STIX21);
    assert.ok(faultFields(result).includes('type'));
  });

  test('missing id', () => {
    const result = validateObject(without(technique(), 'id'), STIX21);
    assert.deepEqual(faultFields(result), ['id']);
    assert.match(result.faults[0]?.message ?? '', /^missing "id"/);
  });

  test('id not a string', () => {
    assert.deepEqual(faultFields(validateObject(technique({ id: 42 }), STIX21)), ['id']);
  });

  test('id without UUID', () => {
    assert.deepEqual(faultFields(validateObject(technique({ id: 'attack-pattern--T1001' }), STIX21)), ['id']);
  });

  test('id of another type', () => {
    const result = validateObject(technique({ id: 'malware--0042a9f5-f053-4769-b3ef-9ad018dfa298' }), STIX21);
    assert.deepEqual(faultFields(result), ['id']);
    assert.match(result.faults[0]?.message ?? '', /starts with type "malware"/);
  });

  test('missing created', () => {
    const result = validateObject(without(technique(), 'created'), STIX21);
    assert.deepEqual(result.faults, [
      { field: 'created', message: 'missing "created": every STIX object needs a creation timestamp' },
    ]);
  });

  test('created not RFC 3339', () => {
    const result = validateObject(technique({ created: '2020-01-14' }), STIX21);
    assert.deepEqual(faultFields(result), ['created']);
    assert.match(result.faults[0]?.message ?? '', /^invalid "created": expected an RFC 3339 timestamp/);
  });

  test('created with month 13', () => {
    assert.deepEqual(faultFields(validateObject(technique({ created: '2020-13-14T17:18:32Z' }), STIX21)), ['created']);
  });

  test('created on February 29 of 2023', () => {
    assert.deepEqual(faultFields(validateObject(technique({ created: '2023-02-29T00:00:00Z' }), STIX21)), ['created']);
  });

  test('missing modified', () => {
    const result = validateObject(without(technique(), 'modified'), STIX21);
    assert.deepEqual(faultFields(result), ['modified']);
  });

  test('modified not a string', () => {
    assert.deepEqual(faultFields(validateObject(technique({ modified: 1700000000 }), STIX21)), ['modified']);
  });

  test('relationship without source_ref', () => {
    const result = validateObject(without(relationship(), 'source_ref'), STIX21);
    assert.deepEqual(faultFields(result), ['source_ref']);
  });

  test('relationship with numeric target_ref', () => {
    assert.deepEqual(faultFields(validateObject(relationship({ target_ref: 5 }), STIX21)), ['target_ref']);
  });

  test('relationship without relationship_type', () => {
    assert.deepEqual(faultFields(validateObject(without(relationship(), 'relationship_type'), STIX21)), ['relationship_type']);
  });

  test('faulty object has no warnings', () => {
    const result = validateObject(without(technique({ x_mitre_version: 'one' }), 'created'), STIX21);
    assert.deepEqual(result.warnings, []);
  });
});

// ---------------------------------------------------------------------------
// Warnings, one block per kind

describe('empty-relationship-description', () => {
  test('whitespace description', () => {
    const result = validateObject(relationship({ description: '  \n' }), STIX21);
    assertOnlyWarnings(result, ['empty-relationship-description description']);
  });

  test('absent description is fine', () => {
    assertOnlyWarnings(validateObject(without(relationship(), 'description'), STIX21), []);
  });
});

describe('empty-detection', () => {
  test('empty x_mitre_detection', () => {
    const result = validateObject(technique({ x_mitre_detection: '' }), STIX21);
    assertOnlyWarnings(result, ['empty-detection x_mitre_detection']);
  });

  test('detection text is fine', () => {
    assertOnlyWarnings(validateObject(technique({ x_mitre_detection: 'Monitor network traffic.' }), STIX21), []);
  });
});

describe('legacy-source-name', () => {
  test('mitre-mobile-attack source', () => {
    const references = [
      { source_name: 'mitre-mobile-attack', url: 'https://attack.mitre.org/techniques/T1001', external_id: 'T1001' },
    ];
    const result = validateObject(technique({ external_references: references }), STIX21);
    assertOnlyWarnings(result, ['legacy-source-name external_references[0].source_name']);
  });

  test('mitre-ics-attack source', () => {
    const references = [
      { source_name: 'mitre-attack', url: 'https://attack.mitre.org/techniques/T1001', external_id: 'T1001' },
      { source_name: 'mitre-ics-attack', url: 'https://attack.mitre.org/techniques/T0801', external_id: 'T0801' },
    ];
    const result = validateObject(technique({ external_references: references }), STIX21);
    assertOnlyWarnings(result, ['legacy-source-name external_references[1].source_name']);
  });
});

describe('unknown-platform', () => {
  test('Azure AD platform', () => {
    const result = validateObject(technique({ x_mitre_platforms: ['Windows', 'Azure AD'] }), STIX21);
    assertOnlyWarnings(result, ['unknown-platform x_mitre_platforms[1]']);
    assert.match(result.warnings[0]?.message ?? '', /"Azure AD"/);
  });

  test('ICS platforms are known', () => {
    const platforms = ['Control Server', 'Field Controller/RTU/PLC/IED', 'None', 'Network'];
    assertOnlyWarnings(validateObject(technique({ x_mitre_platforms: platforms }), STIX21), []);
  });
});

describe('unknown-custom-field', () => {
  test('unknown x_ field', () => {
    const result = validateObject(technique({ x_mitre_foo: true }), STIX21);
    assertOnlyWarnings(result, ['unknown-custom-field x_mitre_foo']);
  });

  test('unknown plain field', () => {
    const result = validateObject(technique({ colour: 'blue' }), STIX21);
    assertOnlyWarnings(result, ['unknown-custom-field colour']);
  });

  test('field of another type', () => {
    const result = validateObject(relationship({ x_mitre_platforms: ['Windows'] }), STIX21);
    assertOnlyWarnings(result, ['unknown-custom-field x_mitre_platforms']);
  });

  test('fields of older releases are known', () => {
    const old = technique({
      x_mitre_data_sources: ['Process: Process Creation'],
      x_mitre_permissions_required: ['User'],
      x_mitre_effective_permissions: ['SYSTEM'],
      x_mitre_defense_bypassed: ['Anti-virus'],
      x_mitre_system_requirements: ['Windows 10'],
      x_mitre_network_requirements: true,
      x_mitre_remote_support: false,
      x_mitre_impact_type: ['Integrity'],
      x_mitre_contributors: ['Jane Doe'],
    });
    assertOnlyWarnings(validateObject(old, STIX21), []);
  });
});

describe('missing-spec-version', () => {
  test('STIX 2.0 bundle object', () => {
    const result = validateObject(without(technique(), 'spec_version'), STIX20);
    assertOnlyWarnings(result, ['missing-spec-version spec_version']);
  });

  test('STIX 2.1 bundle object', () => {
    const result = validateObject(without(technique(), 'spec_version'), STIX21);
    assertOnlyWarnings(result, ['missing-spec-version spec_version']);
    assert.match(result.warnings[0]?.message ?? '', /STIX 2\.1 requires/);
  });

  test('present spec_version', () => {
    assertOnlyWarnings(validateObject(technique(), STIX20), []);
  });
});

describe('unknown-type', () => {
  test('custom object type', () => {
    const custom = {
      type: 'x-example-widget',
      spec_version: '2.1',
      id: 'x-example-widget--0042a9f5-f053-4769-b3ef-9ad018dfa298',
      created: '2020-01-14T17:18:32.126Z',
      modified: '2020-01-14T17:18:32.126Z',
      x_example_size: 3,
    };
    assertOnlyWarnings(validateObject(custom, STIX21), ['unknown-type type']);
  });

  test('common properties still checked', () => {
    const custom = {
      type: 'x-example-widget',
      spec_version: '2.1',
      id: 'x-example-widget--0042a9f5-f053-4769-b3ef-9ad018dfa298',
      created: '2020-01-14T17:18:32.126Z',
      modified: '2020-01-14T17:18:32.126Z',
      created_by_ref: 'MITRE',
    };
    assertOnlyWarnings(validateObject(custom, STIX21), ['unknown-type type', 'invalid-field created_by_ref']);
  });
});

describe('inherited property names', () => {
  test('type named constructor', () => {
    const odd = {
      type: 'constructor',
      spec_version: '2.1',
      id: 'constructor--0042a9f5-f053-4769-b3ef-9ad018dfa298',
      created: '2020-01-14T17:18:32.126Z',
      modified: '2020-01-14T17:18:32.126Z',
      name: 'toString',
      aliases: ['valueOf'],
      external_references: [{ source_name: 'mitre-attack', external_id: 'T1001' }],
    };
    assertOnlyWarnings(validateObject(odd, STIX21), ['unknown-type type']);
  });

  test('relationship type toString', () => {
    const result = validateObject(relationship({ relationship_type: 'toString' }), STIX21);
    assertOnlyWarnings(result, ['invalid-field relationship_type']);
  });
});

describe('missing-field', () => {
  test('revoked stub without description', () => {
    const stub = without(technique({ revoked: true }), 'description', 'kill_chain_phases');
    const result = validateObject(stub, STIX21);
    assertOnlyWarnings(result, ['missing-field description']);
    assert.match(result.warnings[0]?.message ?? '', /^missing "description"/);
  });

  test('optional fields may be absent', () => {
    const sparse = without(technique(), 'x_mitre_platforms', 'x_mitre_attack_spec_version', 'x_mitre_deprecated', 'revoked', 'kill_chain_phases');
    assertOnlyWarnings(validateObject(sparse, STIX21), []);
  });

  test('tactic without shortname', () => {
    const tactic = {
      type: 'x-mitre-tactic',
      spec_version: '2.1',
      id: 'x-mitre-tactic--ffd5bcee-6e16-4dd2-8eca-7b3beedf33ca',
      created: '2018-10-17T00:14:20.652Z',
      modified: '2025-04-25T14:45:33.390Z',
      created_by_ref: MITRE_IDENTITY,
      object_marking_refs: [MITRE_MARKING],
      name: 'Initial Access',
      description: 'The adversary is trying to get into your network.',
      external_references: [{ source_name: 'mitre-attack', url: 'https://attack.mitre.org/tactics/TA0001', external_id: 'TA0001' }],
      x_mitre_domains: ['enterprise-attack'],
      x_mitre_version: '1.0',
      x_mitre_modified_by_ref: MITRE_IDENTITY,
    };
    assertOnlyWarnings(validateObject(tactic, STIX21), ['missing-field x_mitre_shortname']);
  });

  test('STIX 2.0 malware without labels', () => {
    const result = validateObject(without(malware(), 'spec_version', 'is_family'), STIX20);
    assertOnlyWarnings(result, ['missing-spec-version spec_version', 'missing-field labels']);
  });

  test('marking definition without definition_type', () => {
    const result = validateObject(without(markingDefinition(), 'definition_type'), STIX21);
    assertOnlyWarnings(result, ['missing-field definition_type']);
  });

  test('STIX 2.1 malware without is_family', () => {
    assertOnlyWarnings(validateObject(without(malware(), 'is_family'), STIX21), ['missing-field is_family']);
  });

  test('STIX 2.0 identity without identity_class', () => {
    const result = validateObject(without(identity(), 'spec_version', 'identity_class'), STIX20);
    assertOnlyWarnings(result, ['missing-spec-version spec_version', 'missing-field identity_class']);
  });
});

describe('invalid-field', () => {
  test('x_mitre_version with patch number', () => {
    const result = validateObject(technique({ x_mitre_version: '1.2.3' }), STIX21);
    assertOnlyWarnings(result, ['invalid-field x_mitre_version']);
    assert.match(result.warnings[0]?.message ?? '', /expected "major\.minor"/);
  });

  test('x_mitre_domains as a string', () => {
    assertOnlyWarnings(validateObject(technique({ x_mitre_domains: 'enterprise-attack' }), STIX21), ['invalid-field x_mitre_domains']);
  });

  test('x_mitre_domains with a number', () => {
    const result = validateObject(technique({ x_mitre_domains: ['enterprise-attack', 7] }), STIX21);
    assertOnlyWarnings(result, ['invalid-field x_mitre_domains[1]']);
  });

  test('x_mitre_domains without bundle domain', () => {
    const result = validateObject(technique({ x_mitre_domains: ['mobile-attack'] }), STIX21);
    assertOnlyWarnings(result, ['invalid-field x_mitre_domains']);
  });

  test('x_mitre_domains with unknown domain', () => {
    const result = validateObject(technique({ x_mitre_domains: ['enterprise-attack', 'pre-attack'] }), STIX21);
    assertOnlyWarnings(result, ['invalid-field x_mitre_domains[1]']);
  });

  test('external reference without source_name', () => {
    const references = [
      { source_name: 'mitre-attack', url: 'https://attack.mitre.org/techniques/T1001', external_id: 'T1001' },
      { source_name: 'Example Report', url: 'https://example.com/report' },
      { description: 'Unnamed report.', url: 'https://example.com/unnamed' },
    ];
    const result = validateObject(technique({ external_references: references }), STIX21);
    assertOnlyWarnings(result, ['invalid-field external_references[2].source_name']);
  });

  test('external reference URL with space', () => {
    const references = [
      { source_name: 'mitre-attack', url: 'https://attack.mitre.org/techniques/T1001', external_id: 'T1001' },
      { source_name: 'Example Report', url: 'https://example.com/report ' },
    ];
    const result = validateObject(technique({ external_references: references }), STIX21);
    assertOnlyWarnings(result, ['invalid-field external_references[1].url']);
  });

  test('external reference with only source_name', () => {
    const references = [
      { source_name: 'mitre-attack', url: 'https://attack.mitre.org/techniques/T1001', external_id: 'T1001' },
      { source_name: 'Example Report' },
    ];
    const result = validateObject(technique({ external_references: references }), STIX21);
    assertOnlyWarnings(result, ['invalid-field external_references[1]']);
  });

  test('ATT&CK ID of wrong format', () => {
    const references = [{ source_name: 'mitre-attack', url: 'https://attack.mitre.org/techniques/T1001', external_id: 'M1001' }];
    const result = validateObject(technique({ external_references: references }), STIX21);
    assertOnlyWarnings(result, ['invalid-field external_references[0].external_id']);
  });

  test('sub-technique flag contradicts ID', () => {
    const references = [{ source_name: 'mitre-attack', url: 'https://attack.mitre.org/techniques/T1001/001', external_id: 'T1001.001' }];
    const result = validateObject(technique({ external_references: references }), STIX21);
    assertOnlyWarnings(result, ['invalid-field x_mitre_is_subtechnique']);
  });

  test('modified before created', () => {
    const result = validateObject(technique({ created: '2025-10-24T17:48:19.059Z', modified: '2025-10-24T17:48:19Z' }), STIX21);
    assertOnlyWarnings(result, ['invalid-field modified']);
  });

  test('created with offset zone', () => {
    const result = validateObject(technique({ created: '2020-01-14T19:18:32.126+02:00' }), STIX21);
    assertOnlyWarnings(result, ['invalid-field created']);
  });

  test('empty created_by_ref', () => {
    assertOnlyWarnings(validateObject(technique({ created_by_ref: '' }), STIX21), ['invalid-field created_by_ref']);
  });

  test('created_by_ref to a non-identity', () => {
    const result = validateObject(technique({ created_by_ref: MITRE_MARKING }), STIX21);
    assertOnlyWarnings(result, ['invalid-field created_by_ref']);
  });

  test('boolean field as string', () => {
    assertOnlyWarnings(validateObject(technique({ x_mitre_is_subtechnique: 'false' }), STIX21), ['invalid-field x_mitre_is_subtechnique']);
  });

  test('kill chain phase with spaces', () => {
    const phases = [{ kill_chain_name: 'mitre-attack', phase_name: 'Command and Control' }];
    assertOnlyWarnings(validateObject(technique({ kill_chain_phases: phases }), STIX21), ['invalid-field kill_chain_phases[0].phase_name']);
  });

  test('unknown relationship type', () => {
    assertOnlyWarnings(validateObject(relationship({ relationship_type: 'related-to' }), STIX21), ['invalid-field relationship_type']);
  });

  test('mitigation from a group', () => {
    const result = validateObject(relationship({ relationship_type: 'mitigates' }), STIX21);
    assertOnlyWarnings(result, ['invalid-field source_ref']);
  });

  test('source_ref not a STIX ID', () => {
    assertOnlyWarnings(validateObject(relationship({ source_ref: 'G0006' }), STIX21), ['invalid-field source_ref']);
  });

  test('malware revoked by tool is fine', () => {
    const revocation = relationship({
      relationship_type: 'revoked-by',
      source_ref: 'malware--007b44b6-e4c5-480b-b5b9-56f2081b1b7b',
      target_ref: 'tool--03342581-f790-4f03-ba41-e82e67392e23',
    });
    assertOnlyWarnings(validateObject(revocation, STIX21), []);
  });

  test('technique revoked by a group', () => {
    const revocation = relationship({
      relationship_type: 'revoked-by',
      source_ref: 'attack-pattern--0042a9f5-f053-4769-b3ef-9ad018dfa298',
      target_ref: 'intrusion-set--6a2e693f-24e5-451a-9f88-b36a108e5662',
    });
    assertOnlyWarnings(validateObject(revocation, STIX21), ['invalid-field target_ref']);
  });

  test('marking definition without statement', () => {
    const result = validateObject(markingDefinition({ definition: { tlp: 'white' } }), STIX21);
    assertOnlyWarnings(result, ['invalid-field definition']);
  });

  test('spec_version 2.0 on an object', () => {
    assertOnlyWarnings(validateObject(technique({ spec_version: '2.0' }), STIX21), ['invalid-field spec_version']);
  });

  test('message names field and expected value', () => {
    const result = validateObject(technique({ x_mitre_version: 2 }), STIX21);
    assert.equal(result.warnings[0]?.message, 'invalid "x_mitre_version": expected a string, got number 2');
  });
});

// ---------------------------------------------------------------------------
// Schemas

describe('schemas', () => {
  test('new reference rejects empty string', () => {
    // The reference check remembers the last value that passed, and an empty string must
    // not match that memory before anything has passed.
    const identityRef = stixRef('identity');
    assert.equal(identityRef.safeParse('').success, false);
    assert.equal(identityRef.safeParse(MITRE_IDENTITY).success, true);
    assert.equal(identityRef.safeParse(MITRE_IDENTITY).success, true);
    assert.equal(identityRef.safeParse(MITRE_MARKING).success, false);
  });

  test('every schema compiles', () => {
    // A schema that z.compile cannot handle still validates, but several times slower.
    for (const [type, pair] of Object.entries(UNCOMPILED_SCHEMAS)) {
      assert.doesNotThrow(() => z.compile(pair.stix20, { strict: true }), `${type} for STIX 2.0`);
      assert.doesNotThrow(() => z.compile(pair.stix21, { strict: true }), `${type} for STIX 2.1`);
    }
  });
});

// ---------------------------------------------------------------------------
// Timestamp helpers

describe('timestamps', () => {
  test('RFC 3339 forms', () => {
    assert.equal(isRfc3339Timestamp('2025-10-24T17:48:19.059Z'), true);
    assert.equal(isRfc3339Timestamp('2025-10-24T17:48:19Z'), true);
    assert.equal(isRfc3339Timestamp('2025-10-24t17:48:19.1234567z'), true);
    assert.equal(isRfc3339Timestamp('2025-10-24T17:48:19-05:30'), true);
    assert.equal(isRfc3339Timestamp('2024-02-29T00:00:00Z'), true);
    assert.equal(isRfc3339Timestamp('2016-12-31T23:59:60Z'), true);
  });

  test('not RFC 3339', () => {
    assert.equal(isRfc3339Timestamp('2025-10-24 17:48:19Z'), false);
    assert.equal(isRfc3339Timestamp('2025-10-24T17:48:19'), false);
    assert.equal(isRfc3339Timestamp('2025-10-24T17:48:19.Z'), false);
    assert.equal(isRfc3339Timestamp('2025-10-24T24:00:00Z'), false);
    assert.equal(isRfc3339Timestamp('2025-04-31T00:00:00Z'), false);
    assert.equal(isRfc3339Timestamp('2025-10-24T17:48:19+0530'), false);
    assert.equal(isRfc3339Timestamp('2025-10-24T17:48:19.059Z '), false);
  });

  test('STIX form needs UTC', () => {
    assert.equal(isStixTimestamp('2025-10-24T17:48:19.059Z'), true);
    assert.equal(isStixTimestamp('2025-10-24T17:48:19+00:00'), false);
    assert.equal(isStixTimestamp('2025-10-24t17:48:19z'), false);
  });

  test('comparison ignores fraction length', () => {
    assert.equal(compareStixTimestamps('2020-01-01T00:00:00Z', '2020-01-01T00:00:00.000Z'), 0);
    assert.ok(compareStixTimestamps('2020-01-01T00:00:00.5Z', '2020-01-01T00:00:00.499Z') > 0);
    assert.ok(compareStixTimestamps('2019-12-31T23:59:59.999Z', '2020-01-01T00:00:00Z') < 0);
  });
});

// ---------------------------------------------------------------------------
// Real ATT&CK releases

const DATA_DIRECTORY = fileURLToPath(new URL('../../shared/attack-data/', import.meta.url));

interface IndexVersion {
  version: string;
  url: string;
  objects: number;
}

interface IndexCollection {
  domain: string;
  versions: IndexVersion[];
}

interface Bundle {
  spec_version?: string;
  objects: Fixture[];
}

function readBundle(url: string): Bundle {
  return JSON.parse(gunzipSync(readFileSync(DATA_DIRECTORY + url)).toString('utf8')) as Bundle;
}

/** What validating one release gave: counts per kind, and the first few faults and unknown fields. */
interface ReleaseSummary {
  objects: number;
  objectsWithSpecVersion: number;
  faults: string[];
  warningCounts: Map<WarningKind, number>;
  unknownFields: Set<string>;
  unknownPlatforms: Set<string>;
  objectsWithMissingSpecVersion: number;
}

function summarizeRelease(bundle: Bundle, domain: string): ReleaseSummary {
  const context: ValidationContext = { bundleSpecVersion: bundle.spec_version, domain };
  const summary: ReleaseSummary = {
    objects: bundle.objects.length,
    objectsWithSpecVersion: 0,
    faults: [],
    warningCounts: new Map(WARNING_KINDS.map((kind) => [kind, 0])),
    unknownFields: new Set(),
    unknownPlatforms: new Set(),
    objectsWithMissingSpecVersion: 0,
  };

  for (const object of bundle.objects) {
    if (object.spec_version !== undefined) summary.objectsWithSpecVersion++;
    const result = validateObject(object, context);
    for (const fault of result.faults) {
      if (summary.faults.length < 5) summary.faults.push(`${String(object.id)} ${fault.message}`);
    }

    let specVersionWarnings = 0;
    for (const warning of result.warnings) {
      summary.warningCounts.set(warning.kind, (summary.warningCounts.get(warning.kind) ?? 0) + 1);
      if (warning.kind === 'unknown-custom-field' || warning.kind === 'unknown-type') {
        summary.unknownFields.add(`${String(object.type)}.${warning.field}`);
      }
      if (warning.kind === 'unknown-platform') summary.unknownPlatforms.add(warning.message);
      if (warning.kind === 'missing-spec-version') specVersionWarnings++;
    }
    if (specVersionWarnings === 1) summary.objectsWithMissingSpecVersion++;
  }
  return summary;
}

describe('real releases', () => {
  const summaries = new Map<string, ReleaseSummary>();
  const index = JSON.parse(readFileSync(DATA_DIRECTORY + 'index.json', 'utf8')) as { collections: IndexCollection[] };

  before(() => {
    for (const collection of index.collections) {
      for (const version of collection.versions) {
        const bundle = readBundle(version.url);
        summaries.set(`${collection.domain} ${version.version}`, summarizeRelease(bundle, collection.domain));
      }
    }
  });

  function summaryOf(release: string): ReleaseSummary {
    const summary = summaries.get(release);
    assert.ok(summary, `release ${release} is not in index.json`);
    return summary;
  }

  function count(summary: ReleaseSummary, kind: WarningKind): number {
    return summary.warningCounts.get(kind) ?? 0;
  }

  test('all releases have no faults', () => {
    assert.equal(summaries.size, 16);
    for (const [release, summary] of summaries) {
      assert.deepEqual(summary.faults, [], `faults in ${release}`);
    }
  });

  test('all releases know every field', () => {
    for (const [release, summary] of summaries) {
      assert.deepEqual([...summary.unknownFields], [], `unknown fields in ${release}`);
    }
  });

  test('index object counts match', () => {
    for (const collection of index.collections) {
      for (const version of collection.versions) {
        assert.equal(summaryOf(`${collection.domain} ${version.version}`).objects, version.objects);
      }
    }
  });

  test('enterprise 18.1 warning counts', () => {
    const summary = summaryOf('enterprise-attack 18.1');
    // STIX 2.0: no object carries spec_version, so each gets exactly one warning.
    assert.equal(summary.objectsWithSpecVersion, 0);
    assert.equal(count(summary, 'missing-spec-version'), summary.objects);
    assert.equal(summary.objectsWithMissingSpecVersion, summary.objects);
    // Three revoked techniques keep "Office 365", which ATT&CK 16 replaced.
    assert.equal(count(summary, 'unknown-platform'), 3);
    for (const message of summary.unknownPlatforms) assert.match(message, /"Office 365"/);
    // Enterprise has used "mitre-attack" for every ATT&CK ID since before release 12.
    assert.equal(count(summary, 'legacy-source-name'), 0);
    // ATT&CK 18 moved detection advice to detection strategies and left the field empty on every technique.
    assert.equal(count(summary, 'empty-detection'), 835);
    assert.ok(count(summary, 'empty-relationship-description') > 0);
    assert.ok(count(summary, 'empty-relationship-description') < 0.05 * summary.objects);
    assert.ok(count(summary, 'invalid-field') < 0.02 * summary.objects);
    assert.ok(count(summary, 'missing-field') < 0.01 * summary.objects);
  });

  test('ICS 18.1 warning counts', () => {
    const summary = summaryOf('ics-attack 18.1');
    // STIX 2.1: every object carries spec_version "2.1".
    assert.equal(summary.objectsWithSpecVersion, summary.objects);
    assert.equal(count(summary, 'missing-spec-version'), 0);
    assert.equal(count(summary, 'unknown-platform'), 0);
    // Deprecated ICS techniques and software still name their ID under "mitre-ics-attack".
    assert.ok(count(summary, 'legacy-source-name') > 0);
    assert.ok(count(summary, 'legacy-source-name') < 50);
  });

  test('mobile 17.1 warning counts', () => {
    const summary = summaryOf('mobile-attack 17.1');
    assert.equal(summary.objectsWithSpecVersion, summary.objects);
    assert.equal(count(summary, 'missing-spec-version'), 0);
    assert.equal(count(summary, 'unknown-platform'), 0);
    // Revoked and deprecated Mobile techniques still use "mitre-mobile-attack".
    assert.ok(count(summary, 'legacy-source-name') > 0);
    assert.ok(count(summary, 'legacy-source-name') < 50);
  });

  test('older releases use retired platforms', () => {
    const summary = summaryOf('enterprise-attack 15.1');
    assert.ok([...summary.unknownPlatforms].some((message) => message.includes('"Azure AD"')));
    assert.ok([...summary.unknownPlatforms].some((message) => message.includes('"Google Workspace"')));
  });

  test('platform list matches 18.1', () => {
    // The list is every platform that a non-revoked object of an 18.1 release names.
    const used = new Set<string>();
    for (const collection of index.collections) {
      const version = collection.versions.find((entry) => entry.version === '18.1');
      assert.ok(version, `no 18.1 release of ${collection.domain}`);
      for (const object of readBundle(version.url).objects) {
        if (object.revoked === true || !Array.isArray(object.x_mitre_platforms)) continue;
        for (const platform of object.x_mitre_platforms) used.add(String(platform));
      }
    }
    assert.deepEqual([...ATTACK_18_PLATFORMS].sort(), [...used].sort());
  });
});

/** CAR's own analytics (../shared/car/analytics), read to check the built-in library against them. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from './corpus';

/** CAR's own copy of its analytics, beside the project. */
export const CAR_DIR = path.resolve(REPO_ROOT, '..', 'shared', 'car', 'analytics');

/** ATT&CK tactic ids as CAR writes them -> the names the library uses. */
export const TACTICS: Record<string, string> = {
  TA0001: 'Initial Access',
  TA0002: 'Execution',
  TA0003: 'Persistence',
  TA0004: 'Privilege Escalation',
  TA0005: 'Defense Evasion',
  TA0006: 'Credential Access',
  TA0007: 'Discovery',
  TA0008: 'Lateral Movement',
  TA0009: 'Collection',
  TA0010: 'Exfiltration',
  TA0011: 'Command and Control',
  TA0040: 'Impact',
};

export interface CarYaml {
  id: string;
  title: string;
  coverage?: { technique: string; tactics: string[]; subtechniques?: string[] }[];
}

/** The CAR analytic with this id, as CAR's yaml gives it. */
export function carYaml(id: string): CarYaml {
  return parse(readFileSync(path.join(CAR_DIR, `${id}.yaml`), 'utf8')) as CarYaml;
}

/** CAR's coverage as technique (or subtechnique) id -> tactics in words, merging repeated entries. */
export function expectedAttack(yaml: CarYaml): Map<string, Set<string>> {
  const byId = new Map<string, Set<string>>();
  for (const c of yaml.coverage ?? []) {
    for (const id of c.subtechniques?.length ? c.subtechniques : [c.technique]) {
      const tactics = byId.get(id) ?? new Set<string>();
      for (const t of c.tactics) tactics.add(TACTICS[t] ?? t);
      byId.set(id, tactics);
    }
  }
  return byId;
}

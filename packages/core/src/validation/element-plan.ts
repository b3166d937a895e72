/**
 * Where in a resource the coded elements with a required binding and the references are, computed once
 * per data type (base or profile view) from Medplum's schema, through the data types down a few levels.
 * Walking only these paths is much cheaper than a second full crawl of the resource.
 */
import { getDataType, isPrimitiveType, type InternalSchemaElement, type InternalTypeSchema } from '@medplum/core';

/** One element to look at, relative to its parent. */
export interface PlanNode {
  /** JSON property name (a choice element has one node per type, e.g. `valueCodeableConcept`). */
  readonly name: string;
  /** The FHIR type of the values under this name. */
  readonly type: string;
  /** Required binding (ValueSet canonical) when the element has one. */
  readonly requiredValueSet?: string;
  /** For references: the target profile canonicals (R4 core or this project's). */
  readonly targetProfiles?: readonly string[];
  readonly children: readonly PlanNode[];
}

/** Coded types a binding can apply to. */
export const CODED_TYPES: ReadonlySet<string> = new Set(['code', 'Coding', 'CodeableConcept']);

/** How deep to follow data types (Reference → Identifier → Reference … would not end). */
const MAX_DEPTH = 4;

/** Types whose content is checked elsewhere or never carries what the plan looks for. */
const NOT_FOLLOWED: ReadonlySet<string> = new Set(['Resource', 'Extension', 'Element', 'BackboneElement', 'Reference', 'xhtml', 'Meta']);

const plans = new Map<string, readonly PlanNode[]>();

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function nodesOf(key: string, element: InternalSchemaElement, depth: number, path: ReadonlySet<string>): PlanNode[] {
  // Dotted keys are profile constraints on a data type's child (e.g. `subject.reference`): the data type's
  // own plan covers them.
  if (key.includes('.')) return [];
  const out: PlanNode[] = [];
  const choice = key.endsWith('[x]');
  for (const t of element.type) {
    const name = choice ? key.slice(0, -3) + capitalize(t.code) : key;
    const required = element.binding?.strength === 'required' && CODED_TYPES.has(t.code) ? element.binding.valueSet : undefined;
    const targets = t.code === 'Reference' ? (t.targetProfile ?? []) : undefined;
    const children = isPrimitiveType(t.code) || NOT_FOLLOWED.has(t.code) || depth >= MAX_DEPTH || path.has(t.code) ? [] : planOf(t.code, depth + 1, new Set([...path, t.code]));
    if (required || targets || children.length > 0) {
      out.push({ name, type: t.code, ...(required ? { requiredValueSet: required } : {}), ...(targets ? { targetProfiles: targets } : {}), children });
    }
  }
  return out;
}

function planOf(type: string, depth: number, path: ReadonlySet<string>): readonly PlanNode[] {
  const cached = depth === 0 ? plans.get(type) : undefined;
  if (cached) return cached;
  let schema: InternalTypeSchema;
  try {
    schema = getDataType(type);
  } catch {
    return [];
  }
  const plan = Object.entries(schema.elements).flatMap(([key, element]) => nodesOf(key, element, depth, path));
  if (depth === 0) plans.set(type, plan);
  return plan;
}

/**
 * The plan of a data type: a base resource type (`Patient`) or a registered profile view.
 * @example elementPlan('Patient') // [{ name: 'gender', type: 'code', requiredValueSet: '…administrative-gender|4.0.1' }, …]
 */
export function elementPlan(type: string): readonly PlanNode[] {
  return planOf(type, 0, new Set([type]));
}

/** One value met while walking a plan. */
export interface PlannedValue {
  readonly node: PlanNode;
  readonly value: unknown;
  /** FHIRPath of the value in the submitted document. */
  readonly path: string;
}

/**
 * Visits every value the plan names in `resource`.
 * @param prefix FHIRPath of the resource in the document (e.g. `Bundle.entry[2].resource`)
 */
export function walkPlan(resource: unknown, plan: readonly PlanNode[], prefix: string, visit: (v: PlannedValue) => void): void {
  if (!resource || typeof resource !== 'object') return;
  const object = resource as Record<string, unknown>;
  for (const node of plan) {
    const raw = object[node.name];
    if (raw === undefined || raw === null) continue;
    const values = Array.isArray(raw) ? raw : [raw];
    values.forEach((value, i) => {
      if (value === undefined || value === null) return;
      const path = Array.isArray(raw) ? `${prefix}.${node.name}[${i}]` : `${prefix}.${node.name}`;
      visit({ node, value, path });
      if (node.children.length > 0) walkPlan(value, node.children, path, visit);
    });
  }
}

import { getDirectiveValues, GraphQLIncludeDirective, GraphQLSkipDirective, Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import type { KycDetailField } from './kyc-details-read.entity';

/** GraphQL field of KycCaseDetails -> the field the audit log names. */
const FIELD_OF: Readonly<Record<string, KycDetailField>> = {
  legalName: 'LEGAL_NAME',
  dateOfBirth: 'DATE_OF_BIRTH',
  documentNumber: 'DOCUMENT_NUMBER',
};

/**
 * Which decrypted fields a request selects under `details` (aliases, fragments and
 * @skip/@include resolved): only those are decrypted, and exactly those are recorded as read.
 */
export function selectedDetailFields(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments' | 'variableValues'>): KycDetailField[] {
  const found = new Set<KycDetailField>();
  const visit = (selectionSet: SelectionSetNode | undefined, seenFragments: Set<string>): void => {
    for (const selection of selectionSet?.selections ?? []) {
      if (!included(selection, info.variableValues)) continue;
      if (selection.kind === Kind.FIELD) {
        const field = FIELD_OF[selection.name.value];
        if (field) found.add(field);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(selection.selectionSet, seenFragments);
      } else if (selection.kind === Kind.FRAGMENT_SPREAD && !seenFragments.has(selection.name.value)) {
        seenFragments.add(selection.name.value);
        visit(info.fragments[selection.name.value]?.selectionSet, seenFragments);
      }
    }
  };
  for (const node of info.fieldNodes) visit(node.selectionSet, new Set());
  // In a fixed order, whatever the query's.
  return (Object.values(FIELD_OF) as KycDetailField[]).filter((f) => found.has(f));
}

function included(node: Parameters<typeof getDirectiveValues>[1], variables: Record<string, unknown>): boolean {
  if (getDirectiveValues(GraphQLSkipDirective, node, variables)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if !== false;
}

import { Kind, parse, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { selectedDetailFields } from './detail-selection';

/** The `details` field nodes of a query, with its fragments, as a resolver's info carries them. */
function infoOf(query: string, variableValues: Record<string, unknown> = {}) {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = Object.fromEntries(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]),
  );
  const detailsNodes: FieldNode[] = [];
  const collect = (node: { selectionSet?: { selections: readonly unknown[] } }) => {
    for (const s of (node.selectionSet?.selections ?? []) as Array<FieldNode & { kind: Kind }>) {
      if (s.kind === Kind.FIELD && s.name.value === 'details') detailsNodes.push(s);
      else collect(s);
    }
  };
  collect(operation);
  return { fieldNodes: detailsNodes, fragments, variableValues };
}

describe('selectedDetailFields', () => {
  it('names the fields asked for, in a fixed order, aliases included', () => {
    expect(selectedDetailFields(infoOf(`{ c { details { documentNumber name: legalName } } }`))).toEqual(['LEGAL_NAME', 'DOCUMENT_NUMBER']);
    expect(selectedDetailFields(infoOf(`{ c { details { dateOfBirth legalName documentNumber } } }`))).toEqual([
      'LEGAL_NAME',
      'DATE_OF_BIRTH',
      'DOCUMENT_NUMBER',
    ]);
  });

  it('follows inline fragments and named fragments', () => {
    expect(selectedDetailFields(infoOf(`{ c { details { ... on KycCaseDetails { dateOfBirth } ...D } } } fragment D on KycCaseDetails { legalName }`))).toEqual(
      ['LEGAL_NAME', 'DATE_OF_BIRTH'],
    );
  });

  it('leaves out what @skip or @include leave out, with variables', () => {
    const query = `query ($s: Boolean!, $i: Boolean!) { c { details { legalName @skip(if: $s) documentNumber @include(if: $i) dateOfBirth } } }`;
    expect(selectedDetailFields(infoOf(query, { s: true, i: false }))).toEqual(['DATE_OF_BIRTH']);
    expect(selectedDetailFields(infoOf(query, { s: false, i: true }))).toEqual(['LEGAL_NAME', 'DATE_OF_BIRTH', 'DOCUMENT_NUMBER']);
  });

  it('is empty when only __typename is asked', () => {
    expect(selectedDetailFields(infoOf(`{ c { details { __typename } } }`))).toEqual([]);
  });
});

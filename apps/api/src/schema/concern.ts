import { ConcernInputError, MAX_CONCERN_LABEL_LENGTH, MAX_GENE_LENGTH } from '../concern/change.js';
import type { ConcernIndex } from '../concern/match.js';
import { DuplicateMutationOfConcernError, type MutationOfConcern as MutationOfConcernShape } from '../concern/store.js';
import { isUuid } from '../read-model/sql.js';
import { builder, type Context } from './builder.js';
import { badUserInput, requireRole } from './errors.js';
import { Variant } from './variant.js';

/** A mutation operators watch for. */
export const MutationOfConcern = builder.objectRef<MutationOfConcernShape>('MutationOfConcern').implement({
  description:
    'A mutation operators watch for: an amino-acid change in a gene ("rpoB" "S450L"), or a nucleotide change on a contig ("NC_045512.2" "A23403G").',
  fields: (t) => ({
    id: t.exposeID('id'),
    gene: t.exposeString('gene', { description: 'A gene name, or a contig name for a nucleotide change.' }),
    aminoAcidChange: t.exposeString('aminoAcidChange', {
      description: 'One-letter amino-acid change ("S450L", "Q57*", "K23fs"), or a nucleotide change ("A23403G").',
    }),
    label: t.exposeString('label', {
      nullable: true,
      description: 'What the mutation means, e.g. "rifampicin resistance".',
    }),
  }),
});

const AddMutationOfConcernInput = builder.inputType('AddMutationOfConcernInput', {
  fields: (t) => ({
    gene: t.string({ required: true, description: `At most ${MAX_GENE_LENGTH} characters, no spaces.` }),
    aminoAcidChange: t.string({ required: true }),
    label: t.string({ required: false, description: `At most ${MAX_CONCERN_LABEL_LENGTH} characters.` }),
  }),
});

// One reading of the list per request (or per subscription event, whose context is its own).
const requestIndexes = new WeakMap<Context, Promise<ConcernIndex>>();

/** The list as this request matches against it: read once, however many calls it resolves. */
function concernIndexOf(context: Context): Promise<ConcernIndex> {
  let index = requestIndexes.get(context);
  if (!index) {
    index = context.concerns.index();
    requestIndexes.set(context, index);
  }
  return index;
}

builder.objectField(Variant, 'mutationOfConcern', (t) =>
  t.field({
    type: MutationOfConcern,
    nullable: true,
    description: 'The mutation of concern this call matches (by its effects or its nucleotide change), or null.',
    resolve: async (variant, _args, context) => {
      // The answer follows the list, which changes apart from any run: it is never cached.
      context.cacheScope?.uncacheable();
      return (await concernIndexOf(context)).match(variant) ?? null;
    },
  }),
);

builder.queryFields((t) => ({
  mutationsOfConcern: t.field({
    type: [MutationOfConcern],
    description: 'The mutations of concern, by gene then change.',
    resolve: (_root, _args, context) => {
      requireRole(context.role, 'viewer');
      context.cacheScope?.uncacheable();
      return context.concerns.list();
    },
  }),
}));

builder.mutationFields((t) => ({
  addMutationOfConcern: t.field({
    type: MutationOfConcern,
    description:
      'Adds a mutation of concern (operators). Refused input, or a gene and change already listed, is a BAD_USER_INPUT error whose `field` names the input field.',
    args: { input: t.arg({ type: AddMutationOfConcernInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      requireRole(context.role, 'operator');
      try {
        return await context.concerns.add({
          gene: input.gene,
          aminoAcidChange: input.aminoAcidChange,
          label: input.label ?? null,
        });
      } catch (error) {
        if (error instanceof ConcernInputError) throw badUserInput(error.message, error.field);
        if (error instanceof DuplicateMutationOfConcernError) throw badUserInput(error.message, 'aminoAcidChange');
        throw error;
      }
    },
  }),
  removeMutationOfConcern: t.boolean({
    description: 'Removes a mutation of concern (operators): true if it was listed, false if no entry has this id.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, context) => {
      requireRole(context.role, 'operator');
      const entryId = String(id).toLowerCase();
      return isUuid(entryId) ? context.concerns.remove(entryId) : false;
    },
  }),
}));

import { resolveOffsetConnection } from '@pothos/plugin-relay';
import type { Run as RunRow } from '../generated/prisma/client.js';
import { builder } from './builder.js';
import { requireRole } from './errors.js';

const ReadSource = builder.enumType('ReadSource', { values: ['SIMULATED', 'FASTQ'] as const });

const RunStatus = builder.enumType('RunStatus', {
  values: ['RUNNING', 'STOPPING', 'COMPLETED', 'STOPPED', 'FAILED'] as const,
});

/** A pipeline run as stored. */
export const Run = builder.objectRef<RunRow>('Run').implement({
  description: 'One pipeline run: its configuration, source, reference and totals.',
  fields: (t) => ({
    id: t.exposeID('id'),
    status: t.field({ type: RunStatus, resolve: (run) => run.status }),
    source: t.field({ type: ReadSource, resolve: (run) => run.source }),
    config: t.string({ description: 'The run configuration as JSON.', resolve: (run) => JSON.stringify(run.config) }),
    referenceName: t.exposeString('referenceName'),
    referenceLength: t.field({ type: 'SafeInt', resolve: (run) => run.referenceLength }),
    error: t.exposeString('error', { nullable: true }),
    startedAt: t.expose('startedAt', { type: 'DateTime' }),
    stoppedAt: t.expose('stoppedAt', { type: 'DateTime', nullable: true }),
    readsProduced: t.field({ type: 'SafeInt', resolve: (run) => run.readsProduced }),
    readsAnalysed: t.field({ type: 'SafeInt', resolve: (run) => run.readsAnalysed }),
    batchesAnalysed: t.exposeInt('batchesAnalysed'),
    variantsConfirmed: t.exposeInt('variantsConfirmed'),
  }),
});

/** Largest page any connection serves. */
export const MAX_PAGE_SIZE = 100;

builder.queryFields((t) => ({
  runs: t.connection(
    {
      type: Run,
      description: 'Runs, newest first.',
      resolve: async (_root, args, context) => {
        requireRole(context.role, 'viewer');
        return resolveOffsetConnection({ args, defaultSize: 20, maxSize: MAX_PAGE_SIZE }, ({ limit, offset }) =>
          context.database.prisma.run.findMany({
            orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
            skip: offset,
            take: limit,
          }),
        );
      },
    },
    {
      fields: (connection) => ({
        totalCount: connection.int({
          resolve: (_connection, _args, context) => context.database.prisma.run.count(),
        }),
      }),
    },
  ),
  run: t.field({
    type: Run,
    nullable: true,
    description: 'One run by id; null when there is none.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, context) => {
      requireRole(context.role, 'viewer');
      if (!/^[0-9a-f-]{36}$/i.test(String(id))) return null;
      return context.database.prisma.run.findUnique({ where: { id: String(id) } });
    },
  }),
}));

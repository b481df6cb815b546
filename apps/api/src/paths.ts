import { fileURLToPath } from 'node:url';

// Both src/ and dist/ sit two levels below the repository root, so one relative path serves both.
const repositoryRoot = new URL('../../../', import.meta.url);

/** `prisma/schema.prisma`, the one data model. */
export const prismaSchemaPath = fileURLToPath(new URL('prisma/schema.prisma', repositoryRoot));

/** `prisma/migrations`, the committed migrations in Prisma's folder format. */
export const migrationsDirectory = fileURLToPath(new URL('prisma/migrations', repositoryRoot));

/** `apps/api/schema.graphql`, the printed SDL committed for review. */
export const schemaSdlPath = fileURLToPath(new URL('apps/api/schema.graphql', repositoryRoot));

// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// `pnpm run docs` (`pnpm docs` alone is pnpm's own command): one API reference for every published package, from the TSDoc comments of their
// sources (TypeDoc), into docs/api (HTML) and docs/api/api.json. Warnings fail the run.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import {
  Application,
  Comment,
  Converter,
  DeclarationReflection,
  MinimalSourceFile,
  normalizePath,
  OptionDefaults,
  ParameterReflection,
  makeRecursiveVisitor,
  ReflectionKind,
  SignatureReflection,
  type SomeType,
  TSConfigReader,
  TypeParameterReflection,
} from 'typedoc';
import ts from 'typescript';

interface PackageManifest {
  readonly name?: string;
  readonly description?: string;
  readonly private?: boolean;
  readonly exports?: Readonly<Record<string, unknown>>;
}

const root = path.resolve(import.meta.dirname, '..');
const packagesRoot = path.join(root, 'packages');
const outDir = path.join(root, 'docs', 'api');

// Published packages with a library entry point: private helpers and test packages never ship.
const published = readdirSync(packagesRoot, { withFileTypes: true }).flatMap((entry) => {
  const dir = path.join(packagesRoot, entry.name);
  const manifestPath = path.join(dir, 'package.json');
  const entryPoint = path.join(dir, 'src', 'index.ts');
  if (!entry.isDirectory() || !existsSync(manifestPath) || !existsSync(entryPoint)) {
    return [];
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as PackageManifest;
  return manifest.private === true ||
    manifest.name === undefined ||
    manifest.exports?.['.'] === undefined
    ? []
    : [{ name: manifest.name, description: manifest.description ?? '', dir, entryPoint }];
});

// TypeDoc names a module by its folder (`vm/src`); a user knows it by its package name.
const packageOf = new Map(published.map((pkg) => [`${path.basename(pkg.dir)}/src`, pkg]));

const app = await Application.bootstrapWithPlugins(
  {
    name: 'Kindling',
    entryPoints: published.map((pkg) => pkg.entryPoint),
    entryPointStrategy: 'resolve',
    tsconfig: path.join(root, 'tooling', 'tsconfig.docs.json'),
    readme: path.join(root, 'README.md'),
    out: outDir,
    json: path.join(outDir, 'api.json'),
    // The sources are type-checked by `pnpm typecheck`; here they are only read.
    skipErrorChecking: true,
    // fake-vmm's README shows the fake guest's gRPC service in protobuf.
    highlightLanguages: [...OptionDefaults.highlightLanguages, 'proto'],
    excludePrivate: true,
    // Constructors that only the package's own factory calls (`@internal`) are not its API.
    excludeInternal: true,
    // No public home to link sources to yet; a clone's `origin` is a local path.
    disableSources: true,
    excludeProtected: true,
    treatWarningsAsErrors: true,
    treatValidationWarningsAsErrors: true,
    validation: { notExported: true, invalidLink: true, rewrittenLink: true, notDocumented: false },
  },
  [new TSConfigReader()],
);
// A type inferred from a zod schema reads as `z.infer<typeof schema>`, which tells a reader nothing,
// unless its comment tells TypeDoc otherwise: `@interface` shows an object type as an interface,
// its fields with the comments written on the schema's fields; `@useDeclaredType` shows any other
// type as it resolves (`'Off' | 'Trace' | …`). The fields' comments are checked after conversion.
const zodTypesUntagged: string[] = [];
const zodInterfaces: { readonly where: string; readonly reflection: DeclarationReflection }[] = [];
app.converter.on(Converter.EVENT_CREATE_DECLARATION, (context, reflection) => {
  const symbol = reflection.kindOf(ReflectionKind.TypeAlias | ReflectionKind.Interface)
    ? context.getSymbolFromReflection(reflection)
    : undefined;
  const declaration = symbol?.declarations?.find(ts.isTypeAliasDeclaration);
  if (
    declaration === undefined ||
    !/\bz\.(infer|input|output)</u.test(declaration.type.getText())
  ) {
    return;
  }
  const where = `${path.relative(root, declaration.getSourceFile().fileName)}: ${reflection.name}`;
  if (reflection.kindOf(ReflectionKind.Interface)) {
    zodInterfaces.push({ where, reflection });
  } else if (reflection.comment?.hasModifier('@useDeclaredType') !== true) {
    zodTypesUntagged.push(where);
  }
});
app.converter.on(Converter.EVENT_CREATE_DECLARATION, (context, reflection) => {
  const pkg = reflection.kindOf(ReflectionKind.Module) ? packageOf.get(reflection.name) : undefined;
  if (pkg === undefined) {
    return;
  }
  reflection.name = pkg.name;
  // An index.ts has no comment of its own: the package's description says what it is, and its
  // README opens its page, as in packages mode.
  reflection.comment ??= new Comment([{ kind: 'text', text: pkg.description }]);
  const readmePath = path.join(pkg.dir, 'README.md');
  if (existsSync(readmePath)) {
    reflection.readme = app.converter.parseRawComment(
      new MinimalSourceFile(readFileSync(readmePath, 'utf8'), normalizePath(readmePath)),
      context.project.files,
    ).content;
  }
  // The README links each package by its folder: that link goes to the package's page.
  context.project.files.registerReflectionPath(normalizePath(pkg.dir), reflection);
});

const fail = (why: string): never => {
  process.stderr.write(`docs: ${why}\n`);
  process.exit(1);
};

const project = (await app.convert()) ?? fail('TypeDoc could not convert the packages');
if (zodTypesUntagged.length > 0) {
  fail(
    `types inferred from zod schemas need @interface (an object: its fields are documented) or @useDeclaredType (anything else) in their comment:\n  ${zodTypesUntagged.join('\n  ')}`,
  );
}
const undocumentedFields = zodInterfaces.flatMap(({ where, reflection }) =>
  (reflection.children ?? [])
    .filter((field) => !field.hasComment())
    .map((field) => `${where}.${field.name}`),
);
if (undocumentedFields.length > 0) {
  fail(
    `fields of zod models without a comment (write one on the schema's field):\n  ${undocumentedFields.join('\n  ')}`,
  );
}
app.validate(project);
// TypeDoc's own check of types named but not documented (`notExported`) covers only the types of
// the project's one package name; across packages it is done here, for every @kindling/* type.
const undocumentedTypes = new Set<string>();
for (const owner of Object.values(project.reflections)) {
  const visitor = makeRecursiveVisitor({
    reference(type) {
      if (
        type.reflection === undefined &&
        type.externalUrl === undefined &&
        !type.isIntentionallyBroken() &&
        type.package?.startsWith('@kindling/') === true
      ) {
        undocumentedTypes.add(
          `${type.qualifiedName} (${type.package}/${type.symbolId?.packagePath ?? '?'}), named by ${owner.getFriendlyFullName()}`,
        );
      }
    },
  });
  // As TypeDoc's check, not the classes a class extends: their members are shown in it.
  const types: (SomeType | undefined)[] = [
    owner instanceof DeclarationReflection ||
    owner instanceof ParameterReflection ||
    owner instanceof SignatureReflection ||
    owner instanceof TypeParameterReflection
      ? owner.type
      : undefined,
    ...(owner instanceof DeclarationReflection ? (owner.implementedTypes ?? []) : []),
    owner instanceof TypeParameterReflection ? owner.default : undefined,
  ];
  for (const type of types) {
    type?.visit(visitor);
  }
}
if (undocumentedTypes.size > 0) {
  fail(
    `types named in the reference but not exported by any package's index.ts (export them, or stop naming them):\n  ${[...undocumentedTypes].join('\n  ')}`,
  );
}
if (app.logger.hasErrors() || app.logger.hasWarnings()) {
  fail(`${app.logger.errorCount} error(s), ${app.logger.warningCount} warning(s): fix them`);
}
await app.generateOutputs(project);
if (app.logger.hasErrors() || app.logger.hasWarnings()) {
  fail(
    `${app.logger.errorCount} error(s), ${app.logger.warningCount} warning(s) writing the output`,
  );
}
process.stdout.write(
  `docs: ${published.length} packages documented in ${path.relative(root, outDir)}\n`,
);

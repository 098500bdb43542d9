// Dependency-fence scanner: lists every import a source file makes and reports the ones a fence forbids.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** A package (or package family) that only the listed folders or files may import. */
export interface PackageFence {
  /** A package name ('pg' also covers 'pg/lib/…'), or a whole scope ('@tensorflow/*'). */
  pkg: string;
  /** Repository-relative path prefixes ('src/engine/', 'scripts/bench-') allowed to import it. */
  allowedIn: readonly string[];
}

/** Files under `from` must not import (by relative path) anything under `to`. */
export interface FolderFence {
  from: string;
  to: string;
}

export interface SourceFile {
  /** Repository-relative, '/'-separated. */
  path: string;
  text: string;
}

export interface FenceViolation {
  file: string;
  line: number;
  specifier: string;
  rule: string;
}

export const SCANNED_EXTENSIONS = ['.ts', '.mjs', '.js'] as const;

/**
 * Every module specifier the file names: static and type-only imports, re-exports, side-effect imports, dynamic
 * import() and require(). TypeScript's pre-processor reads tokens, so an import written in a comment or a string
 * is not taken for one.
 */
export function importsOf(file: SourceFile): { specifier: string; line: number }[] {
  const { importedFiles } = ts.preProcessFile(file.text, true, true);
  return importedFiles.map((ref) => ({
    specifier: ref.fileName,
    line: file.text.slice(0, ref.pos).split('\n').length,
  }));
}

function namesPackage(specifier: string, pkg: string): boolean {
  if (pkg.endsWith('/*')) return specifier.startsWith(pkg.slice(0, -1));
  return specifier === pkg || specifier.startsWith(`${pkg}/`);
}

export function checkFences(
  files: readonly SourceFile[],
  fences: { packages: readonly PackageFence[]; folders: readonly FolderFence[] },
): FenceViolation[] {
  const violations: FenceViolation[] = [];
  for (const file of files) {
    for (const { specifier, line } of importsOf(file)) {
      for (const fence of fences.packages) {
        if (!namesPackage(specifier, fence.pkg)) continue;
        if (fence.allowedIn.some((prefix) => file.path.startsWith(prefix))) continue;
        violations.push({
          file: file.path,
          line,
          specifier,
          rule: `${fence.pkg} only in ${fence.allowedIn.join(', ')}`,
        });
      }
      if (!specifier.startsWith('.')) continue;
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file.path), specifier));
      for (const fence of fences.folders) {
        if (file.path.startsWith(fence.from) && (target === fence.to.replace(/\/$/, '') || target.startsWith(fence.to)))
          violations.push({ file: file.path, line, specifier, rule: `${fence.from} must not import ${fence.to}` });
      }
    }
  }
  return violations;
}

/** Every scanned source file under the given repository-relative folders (node_modules never included). */
export function readSourceTree(root: string, folders: readonly string[]): SourceFile[] {
  const files: SourceFile[] = [];
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const child = `${rel}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(child);
      } else if (SCANNED_EXTENSIONS.some((ext) => entry.name.endsWith(ext)) && !entry.name.endsWith('.d.ts')) {
        files.push({ path: child, text: fs.readFileSync(path.join(root, child), 'utf8') });
      }
    }
  };
  for (const folder of folders) if (fs.existsSync(path.join(root, folder))) walk(folder);
  return files;
}

export function formatViolations(violations: readonly FenceViolation[]): string {
  return violations.map((v) => `${v.file}:${v.line} imports '${v.specifier}' (${v.rule})`).join('\n');
}

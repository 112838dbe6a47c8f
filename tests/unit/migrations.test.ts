import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../migrations';

const folder = path.resolve(import.meta.dirname, '../../migrations');
const files = readdirSync(folder)
	.filter((f) => f.endsWith('.ts') && f !== 'index.ts' && f !== 'types.ts' && f !== 'columns.ts')
	.sort();

describe('migrations/index.ts', () => {
	it('finds at least one migration file', () => {
		expect(files.length).toBeGreaterThan(0);
	});

	it('lists every migration file under its name without extension, in sorted order', () => {
		const names = migrations.map((m) => m.name);
		expect(names).toEqual(files.map((f) => f.replace(/\.ts$/, '')));
		expect(names).toEqual([...names].sort());
	});

	it('gives every migration a unique name', () => {
		const names = migrations.map((m) => m.name);
		expect(new Set(names).size).toBe(names.length);
	});

	it('pairs each name with the module of that file', async () => {
		for (const { name, migration } of migrations) {
			const module = await import(path.join(folder, `${name}.ts`));
			expect(migration.up).toBe(module.up);
			expect(migration.down).toBe(module.down);
		}
	});

	it('gives every migration an up and a down function', () => {
		for (const { migration } of migrations) {
			expect(typeof migration.up).toBe('function');
			expect(typeof migration.down).toBe('function');
		}
	});
});

import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	build: { rolldownOptions: { checks: { pluginTimings: false } } },
	test: {
		// Integration files each create and migrate their own database; MariaDB DDL is slow.
		testTimeout: 30_000,
		hookTimeout: 60_000,
		projects: [
			{
				extends: true,
				test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] },
			},
			{
				extends: true,
				test: {
					name: 'sqlite',
					include: ['tests/integration/**/*.test.ts'],
					env: { TEST_DB: 'sqlite' },
				},
			},
			{
				extends: true,
				test: {
					name: 'mysql',
					include: ['tests/integration/**/*.test.ts'],
					env: { TEST_DB: 'mysql' },
				},
			},
		],
	},
});

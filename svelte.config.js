import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter(),
		// workbox-window registers the worker, so the page can offer "Update available".
		serviceWorker: { register: false },
		typescript: {
			config(tsconfig) {
				tsconfig.include.push(
					'../server/**/*.ts',
					'../migrations/**/*.ts',
					'../tests/**/*.ts',
					'../bench/**/*.ts',
					'../playwright.config.ts',
				);
			},
		},
		alias: {
			$server: 'server',
		},
		// Absolute asset paths: an app shell served for a deep link must still find its assets.
		paths: { relative: false },
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:', 'blob:'],
				'connect-src': ['self'],
				'frame-ancestors': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'object-src': ['none'],
			},
		},
	},
};

export default config;

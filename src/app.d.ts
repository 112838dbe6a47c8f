import type { SessionUser } from '$server/api/context';

declare global {
	namespace App {
		interface Locals {
			user: SessionUser | null;
			sessionToken: string | null;
		}
		interface Error {
			message: string;
		}
	}
}

export {};

import type { QueryInterface } from 'sequelize';

export interface MigrationParams {
	context: QueryInterface;
}

export interface Migration {
	up(params: MigrationParams): Promise<void>;
	down(params: MigrationParams): Promise<void>;
}

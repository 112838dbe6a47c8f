/**
 * The fire roll call (issue 12). A roll call is named by the UUIDs of the
 * phones' `rollcall-start` actions (`roll_call_names`: a second marshal's
 * start joins the open roll call under its own id). `roll_call_entries`
 * holds who was on the list when the server learnt of the start, and each
 * person's winning mark; `roll_call_marks` keeps every mark, superseded
 * ones too, for the report.
 */
import { DataTypes } from 'sequelize';
import type { MigrationParams } from './types';
import { instant, ref } from './columns';


export async function up({ context: qi }: MigrationParams): Promise<void> {
	await qi.addColumn('roll_calls', 'drill', { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false });
	// The first start's UUID: the name phones use for it.
	await qi.addColumn('roll_calls', 'uuid', { type: DataTypes.STRING(36), allowNull: true });
	await qi.createTable('roll_call_names', {
		id: { type: DataTypes.STRING(36), primaryKey: true },
		roll_call_id: ref('roll_calls', 'CASCADE', false),
	});
	await qi.addIndex('roll_call_names', ['roll_call_id'], { name: 'roll_call_names_call' });
	await qi.addColumn('roll_call_entries', 'list_group', { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'in' });
	await qi.addColumn('roll_call_entries', 'since', instant(true));
	await qi.addColumn('roll_call_entries', 'left_at', instant(true));
	// Where they came in, as the list said when the roll call began (a snapshot, like the rest of the row).
	await qi.addColumn('roll_call_entries', 'location', { type: DataTypes.STRING(100), allowNull: true });
	await qi.createTable('roll_call_marks', {
		id: { type: DataTypes.STRING(36), primaryKey: true },
		roll_call_id: ref('roll_calls', 'CASCADE', false),
		user_id: ref('users', 'CASCADE', false),
		status: { type: DataTypes.STRING(16), allowNull: false },
		at: instant(),
		marked_by: ref('users', 'SET NULL'),
		received_at: instant(),
	});
	await qi.addIndex('roll_call_marks', ['roll_call_id', 'at'], { name: 'roll_call_marks_call_at' });
}

export async function down({ context: qi }: MigrationParams): Promise<void> {
	await qi.dropTable('roll_call_marks');
	await qi.removeColumn('roll_call_entries', 'location');
	await qi.removeColumn('roll_call_entries', 'left_at');
	await qi.removeColumn('roll_call_entries', 'since');
	await qi.removeColumn('roll_call_entries', 'list_group');
	await qi.dropTable('roll_call_names');
	await qi.removeColumn('roll_calls', 'uuid');
	await qi.removeColumn('roll_calls', 'drill');
}

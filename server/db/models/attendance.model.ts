/** Who came and went: audit records, sign-in records, the action ledger and locations. */
import {
	DataTypes,
	Model,
	type CreationOptional,
	type InferAttributes,
	type InferCreationAttributes,
	type NonAttribute,
	type Sequelize,
} from 'sequelize';
import { instant, modelOptions, serialId } from './columns';
import { User } from './people.model';

export const auditSources = ['web', 'kiosk', 'poster', 'app', 'sync', 'cli', 'admin'] as const;
export type AuditSource = (typeof auditSources)[number];

export class AuditRecord extends Model<InferAttributes<AuditRecord>, InferCreationAttributes<AuditRecord>> {
	declare id: CreationOptional<number>;
	declare at: Date;
	declare ip: string | null;
	declare userAgent: string | null;
	declare source: AuditSource;
	declare deviceId: string | null;
	/** For admin actions: who acted, what they did, to whom, and any details (JSON). */
	declare actorId: CreationOptional<number | null>;
	declare action: CreationOptional<string | null>;
	declare subjectId: CreationOptional<number | null>;
	declare details: CreationOptional<string | null>;
}

export class Location extends Model<InferAttributes<Location>, InferCreationAttributes<Location>> {
	declare id: CreationOptional<number>;
	declare slug: string;
	declare name: string;
	/** Phones here must scan the kiosk's rotating presence code; the poster alone does not count. */
	declare requiresPresence: CreationOptional<boolean>;
}

export class SignInRecord extends Model<InferAttributes<SignInRecord>, InferCreationAttributes<SignInRecord>> {
	declare id: CreationOptional<number>;
	declare userId: number;
	/** The building-local date, YYYY-MM-DD. */
	declare date: string;
	declare signInAt: Date;
	declare signInAuditId: number | null;
	declare signOutAt: CreationOptional<Date | null>;
	declare signOutAuditId: CreationOptional<number | null>;
	declare locationId: CreationOptional<number | null>;
	/** The admin audit row of the last correction of this record (issue 10). */
	declare correctedAuditId: CreationOptional<number | null>;
	/** When the end-of-day job found it still open past the maximum shift (issue 11); no sign-out time is invented. */
	declare didNotSignOutAt: CreationOptional<Date | null>;
	/** When the person was sent the "I left at…" link for it. */
	declare leftNoticeAt: CreationOptional<Date | null>;
	declare user?: NonAttribute<User>;
	declare location?: NonAttribute<Location | null>;
}

export const actionOutcomes = ['applied', 'duplicate', 'no-op', 'rejected'] as const;
export type ActionOutcome = (typeof actionOutcomes)[number];

/** The idempotency ledger: one row per client-generated action id, written with its effect. */
export class Action extends Model<InferAttributes<Action>, InferCreationAttributes<Action>> {
	declare id: string;
	declare userId: number;
	declare deviceId: string | null;
	declare kind: string;
	declare clientAt: Date;
	declare receivedAt: Date;
	declare outcome: Exclude<ActionOutcome, 'duplicate'>;
	declare reason: string | null;
	/** The event time (clamped tap time) of a fact; null for a rejected action or a ledger row older than the facts. */
	declare at: CreationOptional<Date | null>;
	/** The device's sequence number, which orders its facts. */
	declare deviceSeq: CreationOptional<number | null>;
	/** The request that brought the fact. */
	declare auditId: CreationOptional<number | null>;
	/** Where it happened (a kiosk's location, a poster's, a presence code's); the record it opens takes it. */
	declare locationId: CreationOptional<number | null>;
	/** For a correction: the sign-in time of the record it corrects. */
	declare targetAt: CreationOptional<Date | null>;
}

export function initAttendanceModels(sequelize: Sequelize): void {
	AuditRecord.init(
		{
			id: serialId(),
			at: instant(),
			ip: { type: DataTypes.STRING(64), allowNull: true },
			userAgent: { type: DataTypes.STRING(512), allowNull: true },
			source: { type: DataTypes.STRING(16), allowNull: false },
			deviceId: { type: DataTypes.STRING(64), allowNull: true },
			actorId: { type: DataTypes.INTEGER, allowNull: true },
			action: { type: DataTypes.STRING(64), allowNull: true },
			subjectId: { type: DataTypes.INTEGER, allowNull: true },
			details: { type: DataTypes.TEXT, allowNull: true },
		},
		{ sequelize, tableName: 'audit_records', timestamps: false, ...modelOptions },
	);
	Location.init(
		{
			id: serialId(),
			slug: { type: DataTypes.STRING(64), allowNull: false, unique: true },
			name: { type: DataTypes.STRING(100), allowNull: false },
			requiresPresence: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
		},
		{ sequelize, tableName: 'locations', timestamps: false, ...modelOptions },
	);
	SignInRecord.init(
		{
			id: serialId(),
			userId: { type: DataTypes.INTEGER, allowNull: false },
			date: { type: DataTypes.DATEONLY, allowNull: false },
			signInAt: instant(),
			signInAuditId: { type: DataTypes.INTEGER, allowNull: true },
			signOutAt: instant(true),
			signOutAuditId: { type: DataTypes.INTEGER, allowNull: true },
			locationId: { type: DataTypes.INTEGER, allowNull: true },
			correctedAuditId: { type: DataTypes.INTEGER, allowNull: true },
			didNotSignOutAt: instant(true),
			leftNoticeAt: instant(true),
		},
		{ sequelize, tableName: 'sign_in_records', timestamps: false, ...modelOptions },
	);
	Action.init(
		{
			id: { type: DataTypes.STRING(36), primaryKey: true },
			userId: { type: DataTypes.INTEGER, allowNull: false },
			deviceId: { type: DataTypes.STRING(64), allowNull: true },
			kind: { type: DataTypes.STRING(32), allowNull: false },
			clientAt: instant(),
			receivedAt: instant(),
			outcome: { type: DataTypes.STRING(16), allowNull: false },
			reason: { type: DataTypes.STRING(64), allowNull: true },
			at: instant(true),
			deviceSeq: { type: DataTypes.INTEGER, allowNull: true },
			auditId: { type: DataTypes.INTEGER, allowNull: true },
			locationId: { type: DataTypes.INTEGER, allowNull: true },
			targetAt: instant(true),
		},
		{ sequelize, tableName: 'actions', timestamps: false, ...modelOptions },
	);

	SignInRecord.belongsTo(User, { foreignKey: 'userId', as: 'user' });
	SignInRecord.belongsTo(Location, { foreignKey: 'locationId', as: 'location' });
	SignInRecord.belongsTo(AuditRecord, { foreignKey: 'signInAuditId', as: 'signInAudit' });
	SignInRecord.belongsTo(AuditRecord, { foreignKey: 'correctedAuditId', as: 'correctedAudit' });
	AuditRecord.belongsTo(User, { foreignKey: 'actorId', as: 'actor', constraints: false });
	User.hasMany(SignInRecord, { foreignKey: 'userId', as: 'records' });
}

/** Running the building: kiosks, settings, broadcasts, roll calls and job claims. */
import {
	DataTypes,
	Model,
	type CreationOptional,
	type InferAttributes,
	type InferCreationAttributes,
	type Sequelize,
} from 'sequelize';
import { instant, modelOptions, serialId } from './columns';

export class Kiosk extends Model<InferAttributes<Kiosk>, InferCreationAttributes<Kiosk>> {
	declare id: CreationOptional<number>;
	declare name: string;
	declare locationId: number | null;
	declare tokenHash: string | null;
	declare pairingCodeHash: string | null;
	declare pairingCodeExpiresAt: CreationOptional<Date | null>;
	/** The presence secret (base64url), which the server needs in clear to check presence codes. */
	declare secret: string;
	declare createdAt: CreationOptional<Date>;
	declare pairedAt: CreationOptional<Date | null>;
	declare lastSeenAt: CreationOptional<Date | null>;
	declare revokedAt: CreationOptional<Date | null>;
	/** How many actions waited in the kiosk's outbox at its last contact. */
	declare waitingActions: CreationOptional<number | null>;
}

export class Setting extends Model<InferAttributes<Setting>, InferCreationAttributes<Setting>> {
	declare key: string;
	declare value: string;
	declare updatedAt: CreationOptional<Date>;
}

export class Broadcast extends Model<InferAttributes<Broadcast>, InferCreationAttributes<Broadcast>> {
	declare id: CreationOptional<number>;
	declare message: string;
	declare channels: string;
	declare senderId: number | null;
	/** `in-building` (everyone signed in when it was sent) or `everyone`. */
	declare audience: CreationOptional<string>;
	declare createdAt: CreationOptional<Date>;
}

/** What a delivery was for: an admin's broadcast, or a scheduled job's message. */
export type DeliveryKind = 'broadcast' | 'reminder' | 'reminder_pm' | 'did-not-sign-out';

/** One message to one contact detail of one person: a broadcast's or a job run's. */
export class Delivery extends Model<InferAttributes<Delivery>, InferCreationAttributes<Delivery>> {
	declare id: CreationOptional<number>;
	declare kind: DeliveryKind;
	declare broadcastId: CreationOptional<number | null>;
	declare jobRunId: CreationOptional<number | null>;
	declare userId: number | null;
	declare channel: string;
	/** The address as shown to an admin. */
	declare address: CreationOptional<string | null>;
	/** pending, sent or failed. */
	declare status: CreationOptional<string>;
	declare error: CreationOptional<string | null>;
	declare createdAt: CreationOptional<Date>;
	declare updatedAt: CreationOptional<Date>;
}

/** A date's anonymous figures, kept after retention deleted its records. */
export class DailyCount extends Model<InferAttributes<DailyCount>, InferCreationAttributes<DailyCount>> {
	declare date: string;
	declare distinctUsers: number;
	declare notSignedOut: number;
}

export class RollCall extends Model<InferAttributes<RollCall>, InferCreationAttributes<RollCall>> {
	declare id: CreationOptional<number>;
	declare startedAt: Date;
	declare startedBy: number | null;
	declare endedAt: CreationOptional<Date | null>;
	declare endedBy: CreationOptional<number | null>;
	declare drill: CreationOptional<boolean>;
	/** The first start's UUID. */
	declare uuid: string | null;
}

/** Every UUID a roll call goes by: its first start's, and those of starts that joined it. */
export class RollCallName extends Model<InferAttributes<RollCallName>, InferCreationAttributes<RollCallName>> {
	declare id: string;
	declare rollCallId: number;
}

/** One mark, kept whether or not a later one superseded it. */
export class RollCallMark extends Model<InferAttributes<RollCallMark>, InferCreationAttributes<RollCallMark>> {
	declare id: string;
	declare rollCallId: number;
	declare userId: number;
	declare status: 'missing' | 'safe' | 'absent';
	declare at: Date;
	/** Null for a self-report. */
	declare markedBy: number | null;
	declare receivedAt: Date;
}

export class RollCallEntry extends Model<InferAttributes<RollCallEntry>, InferCreationAttributes<RollCallEntry>> {
	declare id: CreationOptional<number>;
	declare rollCallId: number;
	declare userId: number;
	declare status: CreationOptional<'missing' | 'safe' | 'absent'>;
	declare markedAt: CreationOptional<Date | null>;
	declare markedBy: CreationOptional<number | null>;
	declare actionId: CreationOptional<string | null>;
	/** Where the person was on the list when the roll call began: in, left recently, or uncertain. */
	declare listGroup: CreationOptional<'in' | 'left-recently' | 'uncertain'>;
	declare since: CreationOptional<Date | null>;
	declare leftAt: CreationOptional<Date | null>;
	declare location: CreationOptional<string | null>;
}

export class JobRun extends Model<InferAttributes<JobRun>, InferCreationAttributes<JobRun>> {
	declare id: CreationOptional<number>;
	declare job: string;
	declare runKey: string;
	declare claimedBy: string;
	declare startedAt: Date;
	declare finishedAt: CreationOptional<Date | null>;
	/** Renewed while the run works; a run whose heartbeat is older than the timeout crashed and may be taken over. */
	declare heartbeatAt: CreationOptional<Date | null>;
	/** Why the run failed (it is not retried: the next day's run is a new one). */
	declare error: CreationOptional<string | null>;
}

/** A fresh object per column: Sequelize writes the column name into the definition it is given. */
const userRef = () => ({ type: DataTypes.INTEGER, allowNull: true });

export function initOperationsModels(sequelize: Sequelize): void {
	Kiosk.init(
		{
			id: serialId(),
			name: { type: DataTypes.STRING(100), allowNull: false },
			locationId: { type: DataTypes.INTEGER, allowNull: true },
			tokenHash: { type: DataTypes.STRING(64), allowNull: true, unique: true },
			pairingCodeHash: { type: DataTypes.STRING(64), allowNull: true, unique: true },
			pairingCodeExpiresAt: instant(true),
			secret: { type: DataTypes.STRING(128), allowNull: false },
			createdAt: instant(),
			pairedAt: instant(true),
			lastSeenAt: instant(true),
			revokedAt: instant(true),
			waitingActions: { type: DataTypes.INTEGER, allowNull: true },
		},
		{ sequelize, tableName: 'kiosks', updatedAt: false, ...modelOptions },
	);
	Setting.init(
		{
			key: { type: DataTypes.STRING(64), primaryKey: true },
			value: { type: DataTypes.TEXT, allowNull: false },
			updatedAt: instant(),
		},
		{ sequelize, tableName: 'settings', createdAt: false, ...modelOptions },
	);
	Broadcast.init(
		{
			id: serialId(),
			message: { type: DataTypes.TEXT, allowNull: false },
			channels: { type: DataTypes.STRING(255), allowNull: false },
			senderId: userRef(),
			audience: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'in-building' },
			createdAt: instant(),
		},
		{ sequelize, tableName: 'broadcasts', updatedAt: false, ...modelOptions },
	);
	Delivery.init(
		{
			id: serialId(),
			kind: { type: DataTypes.STRING(32), allowNull: false },
			broadcastId: { type: DataTypes.INTEGER, allowNull: true },
			jobRunId: { type: DataTypes.INTEGER, allowNull: true },
			userId: userRef(),
			channel: { type: DataTypes.STRING(16), allowNull: false },
			address: { type: DataTypes.STRING(255), allowNull: true },
			status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'pending' },
			error: { type: DataTypes.TEXT, allowNull: true },
			createdAt: instant(),
			updatedAt: instant(),
		},
		{ sequelize, tableName: 'deliveries', ...modelOptions },
	);
	DailyCount.init(
		{
			date: { type: DataTypes.DATEONLY, primaryKey: true },
			distinctUsers: { type: DataTypes.INTEGER, allowNull: false },
			notSignedOut: { type: DataTypes.INTEGER, allowNull: false },
		},
		{ sequelize, tableName: 'daily_counts', timestamps: false, ...modelOptions },
	);
	RollCall.init(
		{
			id: serialId(),
			startedAt: instant(),
			startedBy: userRef(),
			endedAt: instant(true),
			endedBy: userRef(),
			drill: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
			uuid: { type: DataTypes.STRING(36), allowNull: true },
		},
		{ sequelize, tableName: 'roll_calls', timestamps: false, ...modelOptions },
	);
	RollCallName.init(
		{
			id: { type: DataTypes.STRING(36), primaryKey: true },
			rollCallId: { type: DataTypes.INTEGER, allowNull: false },
		},
		{ sequelize, tableName: 'roll_call_names', timestamps: false, ...modelOptions },
	);
	RollCallMark.init(
		{
			id: { type: DataTypes.STRING(36), primaryKey: true },
			rollCallId: { type: DataTypes.INTEGER, allowNull: false },
			userId: { type: DataTypes.INTEGER, allowNull: false },
			status: { type: DataTypes.STRING(16), allowNull: false },
			at: instant(),
			markedBy: userRef(),
			receivedAt: instant(),
		},
		{ sequelize, tableName: 'roll_call_marks', timestamps: false, ...modelOptions },
	);
	RollCallEntry.init(
		{
			id: serialId(),
			rollCallId: { type: DataTypes.INTEGER, allowNull: false },
			userId: { type: DataTypes.INTEGER, allowNull: false },
			status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'missing' },
			markedAt: instant(true),
			markedBy: userRef(),
			actionId: { type: DataTypes.STRING(36), allowNull: true, unique: true },
			listGroup: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'in' },
			since: instant(true),
			leftAt: instant(true),
			location: { type: DataTypes.STRING(100), allowNull: true },
		},
		{ sequelize, tableName: 'roll_call_entries', timestamps: false, ...modelOptions },
	);
	JobRun.init(
		{
			id: serialId(),
			job: { type: DataTypes.STRING(64), allowNull: false },
			runKey: { type: DataTypes.STRING(128), allowNull: false },
			claimedBy: { type: DataTypes.STRING(128), allowNull: false },
			startedAt: instant(),
			finishedAt: instant(true),
			heartbeatAt: instant(true),
			error: { type: DataTypes.TEXT, allowNull: true },
		},
		{ sequelize, tableName: 'job_runs', timestamps: false, ...modelOptions },
	);
}

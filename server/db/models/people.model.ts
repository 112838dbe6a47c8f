/** People and how they prove who they are: users, settings, contact details, codes, tokens, badges, sessions. */
import {
	DataTypes,
	Model,
	type CreationOptional,
	type ForeignKey,
	type InferAttributes,
	type InferCreationAttributes,
	type NonAttribute,
	type Sequelize,
} from 'sequelize';
import { instant, modelOptions, serialId } from './columns';

export const roles = ['staff', 'marshal', 'admin'] as const;
export type Role = (typeof roles)[number];

export const contactMethods = ['email', 'sms', 'pushtoken', 'webpush'] as const;
export type ContactMethod = (typeof contactMethods)[number];

export class User extends Model<InferAttributes<User>, InferCreationAttributes<User>> {
	declare id: CreationOptional<number>;
	declare username: string;
	declare firstName: string;
	declare lastName: string;
	declare role: CreationOptional<Role>;
	declare createdAt: CreationOptional<Date>;
	declare updatedAt: CreationOptional<Date>;
}

/** An account merged into another: actions queued under the old id belong to `userId`. */
export class UserAlias extends Model<InferAttributes<UserAlias>, InferCreationAttributes<UserAlias>> {
	declare oldUserId: number;
	declare userId: number;
}

export class UserSettings extends Model<InferAttributes<UserSettings>, InferCreationAttributes<UserSettings>> {
	declare userId: number;
	declare reminders: CreationOptional<boolean>;
	declare ricked: CreationOptional<boolean>;
}

export class ContactDetail extends Model<InferAttributes<ContactDetail>, InferCreationAttributes<ContactDetail>> {
	declare id: CreationOptional<number>;
	declare method: ContactMethod;
	declare value: string;
	declare userId: ForeignKey<number> | null;
	declare auditId: CreationOptional<number | null>;
	declare createdAt: CreationOptional<Date>;
}

export class LoginCode extends Model<InferAttributes<LoginCode>, InferCreationAttributes<LoginCode>> {
	declare id: CreationOptional<number>;
	declare contactId: number;
	declare codeHash: string;
	declare expiresAt: Date;
	declare attempts: CreationOptional<number>;
	declare createdAt: CreationOptional<Date>;
}

export class LoginToken extends Model<InferAttributes<LoginToken>, InferCreationAttributes<LoginToken>> {
	declare userId: number;
	declare tokenHash: string;
	declare createdAt: CreationOptional<Date>;
}

export class Badge extends Model<InferAttributes<Badge>, InferCreationAttributes<Badge>> {
	declare id: CreationOptional<number>;
	declare userId: number;
	declare badgeHash: string;
	/** The secret sealed under the server key, so its owner can see the same QR again (docs/decisions.md). */
	declare sealedSecret: string | null;
	declare createdAt: CreationOptional<Date>;
	declare revokedAt: CreationOptional<Date | null>;
}

/** A person's account at an identity provider (Entra: tenant id + object id), which they cannot edit. */
export class ExternalIdentity extends Model<InferAttributes<ExternalIdentity>, InferCreationAttributes<ExternalIdentity>> {
	declare id: CreationOptional<number>;
	declare provider: 'entra';
	declare tenantId: string;
	declare objectId: string;
	declare userId: number;
	declare createdAt: CreationOptional<Date>;
}

export class Session extends Model<InferAttributes<Session>, InferCreationAttributes<Session>> {
	declare idHash: string;
	declare userId: number;
	declare createdAt: CreationOptional<Date>;
	declare lastSeenAt: Date;
	declare expiresAt: Date;
	declare userAgent: string | null;
	declare user?: NonAttribute<User>;
}


export function initPeopleModels(sequelize: Sequelize): void {
	User.init(
		{
			id: serialId(),
			username: { type: DataTypes.STRING(150), allowNull: false, unique: true },
			firstName: { type: DataTypes.STRING(100), allowNull: false },
			lastName: { type: DataTypes.STRING(100), allowNull: false },
			role: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'staff' },
			createdAt: instant(),
			updatedAt: instant(),
		},
		{ sequelize, tableName: 'users', ...modelOptions },
	);
	UserAlias.init(
		{
			oldUserId: { type: DataTypes.INTEGER, primaryKey: true },
			userId: { type: DataTypes.INTEGER, allowNull: false },
		},
		{ sequelize, tableName: 'user_aliases', timestamps: false, ...modelOptions },
	);
	UserSettings.init(
		{
			userId: { type: DataTypes.INTEGER, primaryKey: true },
			reminders: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
			ricked: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
		},
		{ sequelize, tableName: 'user_settings', timestamps: false, ...modelOptions },
	);
	ContactDetail.init(
		{
			id: serialId(),
			method: { type: DataTypes.STRING(16), allowNull: false },
			value: { type: DataTypes.STRING(255), allowNull: false },
			userId: { type: DataTypes.INTEGER, allowNull: true },
			auditId: { type: DataTypes.INTEGER, allowNull: true },
			createdAt: instant(),
		},
		{ sequelize, tableName: 'contact_details', updatedAt: false, ...modelOptions },
	);
	LoginCode.init(
		{
			id: serialId(),
			contactId: { type: DataTypes.INTEGER, allowNull: false },
			codeHash: { type: DataTypes.STRING(128), allowNull: false },
			expiresAt: instant(),
			attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
			createdAt: instant(),
		},
		{ sequelize, tableName: 'login_codes', updatedAt: false, ...modelOptions },
	);
	LoginToken.init(
		{
			userId: { type: DataTypes.INTEGER, primaryKey: true },
			tokenHash: { type: DataTypes.STRING(64), allowNull: false, unique: true },
			createdAt: instant(),
		},
		{ sequelize, tableName: 'login_tokens', updatedAt: false, ...modelOptions },
	);
	Badge.init(
		{
			id: serialId(),
			userId: { type: DataTypes.INTEGER, allowNull: false },
			badgeHash: { type: DataTypes.STRING(64), allowNull: false, unique: true },
			sealedSecret: { type: DataTypes.STRING(255), allowNull: true },
			createdAt: instant(),
			revokedAt: instant(true),
		},
		{ sequelize, tableName: 'badges', updatedAt: false, ...modelOptions },
	);
	Session.init(
		{
			idHash: { type: DataTypes.STRING(64), primaryKey: true },
			userId: { type: DataTypes.INTEGER, allowNull: false },
			createdAt: instant(),
			lastSeenAt: instant(),
			expiresAt: instant(),
			userAgent: { type: DataTypes.STRING(512), allowNull: true },
		},
		{ sequelize, tableName: 'sessions', updatedAt: false, ...modelOptions },
	);

	ExternalIdentity.init(
		{
			id: serialId(),
			provider: { type: DataTypes.STRING(16), allowNull: false },
			tenantId: { type: DataTypes.STRING(64), allowNull: false },
			objectId: { type: DataTypes.STRING(64), allowNull: false },
			userId: { type: DataTypes.INTEGER, allowNull: false },
			createdAt: instant(),
		},
		{ sequelize, tableName: 'external_identities', updatedAt: false, ...modelOptions },
	);

	User.hasMany(ContactDetail, { foreignKey: 'userId', as: 'contacts' });
	ContactDetail.belongsTo(User, { foreignKey: 'userId', as: 'user' });
	User.hasOne(UserSettings, { foreignKey: 'userId', as: 'settings' });
	LoginCode.belongsTo(ContactDetail, { foreignKey: 'contactId', as: 'contact' });
	Session.belongsTo(User, { foreignKey: 'userId', as: 'user' });
}

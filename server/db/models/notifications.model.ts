/** Outbound notifications (issue 11): push subscriptions, webhooks out and their deliveries, broadcast recipients. */
import {
	DataTypes,
	Model,
	type CreationOptional,
	type InferAttributes,
	type InferCreationAttributes,
	type Sequelize,
} from 'sequelize';
import { instant, modelOptions, serialId } from './columns';

export class PushSubscription extends Model<InferAttributes<PushSubscription>, InferCreationAttributes<PushSubscription>> {
	declare id: CreationOptional<number>;
	declare userId: number;
	declare endpoint: string;
	declare endpointHash: string;
	declare p256dh: string;
	declare auth: string;
	declare createdAt: CreationOptional<Date>;
}

export class WebhookEndpoint extends Model<InferAttributes<WebhookEndpoint>, InferCreationAttributes<WebhookEndpoint>> {
	declare id: CreationOptional<number>;
	declare url: string;
	declare secret: string;
	declare createdBy: number | null;
	declare createdAt: CreationOptional<Date>;
}

export const webhookStatuses = ['pending', 'sending', 'delivered', 'failed'] as const;
export type WebhookStatus = (typeof webhookStatuses)[number];

export class WebhookDelivery extends Model<InferAttributes<WebhookDelivery>, InferCreationAttributes<WebhookDelivery>> {
	declare id: CreationOptional<number>;
	declare endpointId: number;
	declare eventId: string;
	declare eventType: string;
	declare payload: string;
	declare status: CreationOptional<WebhookStatus>;
	declare attempts: CreationOptional<number>;
	declare nextAttemptAt: Date | null;
	declare claimedBy: CreationOptional<string | null>;
	declare claimedAt: CreationOptional<Date | null>;
	declare lastStatus: CreationOptional<number | null>;
	declare lastError: CreationOptional<string | null>;
	declare createdAt: CreationOptional<Date>;
	declare updatedAt: CreationOptional<Date>;
}

export const recipientStatuses = ['pending', 'delivered', 'partly', 'failed', 'unreachable'] as const;
export type RecipientStatus = (typeof recipientStatuses)[number];

export class BroadcastRecipient extends Model<InferAttributes<BroadcastRecipient>, InferCreationAttributes<BroadcastRecipient>> {
	declare id: CreationOptional<number>;
	declare broadcastId: number;
	declare userId: number;
	declare status: CreationOptional<RecipientStatus>;
	declare safeAt: CreationOptional<Date | null>;
	declare updatedAt: CreationOptional<Date>;
}

export function initNotificationModels(sequelize: Sequelize): void {
	PushSubscription.init(
		{
			id: serialId(),
			userId: { type: DataTypes.INTEGER, allowNull: false },
			endpoint: { type: DataTypes.TEXT, allowNull: false },
			endpointHash: { type: DataTypes.STRING(64), allowNull: false, unique: true },
			p256dh: { type: DataTypes.STRING(255), allowNull: false },
			auth: { type: DataTypes.STRING(255), allowNull: false },
			createdAt: instant(),
		},
		{ sequelize, tableName: 'push_subscriptions', updatedAt: false, ...modelOptions },
	);
	WebhookEndpoint.init(
		{
			id: serialId(),
			url: { type: DataTypes.STRING(2000), allowNull: false },
			secret: { type: DataTypes.STRING(255), allowNull: false },
			createdBy: { type: DataTypes.INTEGER, allowNull: true },
			createdAt: instant(),
		},
		{ sequelize, tableName: 'webhook_endpoints', updatedAt: false, ...modelOptions },
	);
	WebhookDelivery.init(
		{
			id: serialId(),
			endpointId: { type: DataTypes.INTEGER, allowNull: false },
			eventId: { type: DataTypes.STRING(36), allowNull: false },
			eventType: { type: DataTypes.STRING(32), allowNull: false },
			payload: { type: DataTypes.TEXT, allowNull: false },
			status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'pending' },
			attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
			nextAttemptAt: instant(true),
			claimedBy: { type: DataTypes.STRING(64), allowNull: true },
			claimedAt: instant(true),
			lastStatus: { type: DataTypes.INTEGER, allowNull: true },
			lastError: { type: DataTypes.TEXT, allowNull: true },
			createdAt: instant(),
			updatedAt: instant(),
		},
		{ sequelize, tableName: 'webhook_deliveries', ...modelOptions },
	);
	BroadcastRecipient.init(
		{
			id: serialId(),
			broadcastId: { type: DataTypes.INTEGER, allowNull: false },
			userId: { type: DataTypes.INTEGER, allowNull: false },
			status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'pending' },
			safeAt: instant(true),
			updatedAt: instant(),
		},
		{ sequelize, tableName: 'broadcast_recipients', createdAt: false, ...modelOptions },
	);
}

/** Column shapes the migrations share: an instant with milliseconds, and a reference to another table's id. */
import { DataTypes } from 'sequelize';

export const instant = (allowNull = false) => ({ type: DataTypes.DATE(3), allowNull });

/** A foreign key to `table`.id; nullable unless said otherwise when deleting the target sets it to null. */
export const ref = (table: string, onDelete: 'CASCADE' | 'SET NULL', allowNull = onDelete === 'SET NULL') => ({
	type: DataTypes.INTEGER,
	allowNull,
	references: { model: table, key: 'id' },
	onDelete,
	onUpdate: 'CASCADE',
});

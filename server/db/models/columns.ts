import { DataTypes } from 'sequelize';

/** Column shapes every model shares, so models and the migrations agree. */
export const instant = (allowNull = false) => ({ type: DataTypes.DATE(3), allowNull });
export const serialId = { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true } as const;
export const modelOptions = { underscored: true } as const;

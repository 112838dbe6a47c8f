import { DataTypes } from 'sequelize';

/** Column shapes every model shares, so models and the migrations agree. */
export const instant = (allowNull = false) => ({ type: DataTypes.DATE(3), allowNull });
/** Functions, not shared objects: Sequelize writes each column's name into the definition it is given. */
export const serialId = () => ({ type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true }) as const;
export const modelOptions = { underscored: true } as const;

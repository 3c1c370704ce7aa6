import { runAdapterContract } from './adapter-contract';
import { FeishuDriver } from './drivers/feishu.driver';

runAdapterContract('Feishu', () => new FeishuDriver());

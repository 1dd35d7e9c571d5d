// The {Q} fields of a product / store / store product / cashier, inside a
// ProForm under the name `queue`.
import { ProFormDependency, ProFormDigit, ProFormList, ProFormRadio, ProFormSwitch, ProFormText, ProFormGroup } from '@ant-design/pro-components';
import { Divider } from 'antd';
import { fenRule, ratioRule, YuanInput } from './money';
import type { QueueOwner } from './queueConfig';
import { Form } from 'antd';

const clock = { pattern: /^([01]\d|2[0-3]):[0-5]\d$/, message: '格式 HH:MM' };

export function QueueConfigFields({ owner }: { owner: QueueOwner }) {
  const ratioLabel = owner === 'product' ? '独立奖励比例' : '默认奖励比例';
  return (
    <>
      <Divider orientation="left" plain>
        排队返利设置
      </Divider>
      <ProFormSwitch name={['queue', 'enabled']} label="参与排队返利" checkedChildren="开" unCheckedChildren="关" />
      <ProFormGroup>
        <ProFormText name={['queue', 'extractRatio']} label="提取比例" width="xs" placeholder="沿用" fieldProps={{ suffix: '%' }} rules={[ratioRule(false, 100)]} tooltip="留空沿用基础设置" />
        <ProFormText name={['queue', 'ratio']} label={ratioLabel} width="xs" placeholder="沿用" fieldProps={{ suffix: '%' }} rules={[ratioRule(false)]} tooltip="留空沿用上一级设置" />
        <ProFormDigit name={['queue', 'dailyLimit']} label="每人每日限额（单）" width="xs" min={0} fieldProps={{ precision: 0 }} />
        <ProFormDigit name={['queue', 'totalLimit']} label="每人累计限额（单）" width="xs" min={0} fieldProps={{ precision: 0 }} />
        <ProFormDigit
          name={['queue', 'minWaitDays']}
          label="工会最短等待（天）"
          width="xs"
          min={0}
          max={3660}
          placeholder={owner === 'storeProduct' || owner === 'cashier' ? '沿用门店' : '不限'}
          fieldProps={{ precision: 0 }}
          tooltip={owner === 'storeProduct' || owner === 'cashier' ? '工会模式：订单完成后至少等待的天数才参加每日结算；留空沿用门店设置' : '工会模式：订单完成后至少等待的天数才参加每日结算'}
        />
      </ProFormGroup>
      <ProFormList name={['queue', 'levels']} label="会员等级奖励比例" creatorButtonProps={{ creatorButtonText: '添加等级比例' }} copyIconProps={false}>
        <ProFormGroup>
          <ProFormText name="level" placeholder="等级ID" width="sm" rules={[{ required: true, message: '请输入等级' }]} />
          <ProFormText name="ratio" placeholder="比例" width="xs" fieldProps={{ suffix: '%' }} rules={[ratioRule(true)]} />
        </ProFormGroup>
      </ProFormList>
      <ProFormList name={['queue', 'tiers']} label="累计消费阶梯" creatorButtonProps={{ creatorButtonText: '添加阶梯' }} copyIconProps={false}>
        <ProFormGroup>
          <ProFormDigit name="days" placeholder="天数" width="xs" min={1} max={3660} fieldProps={{ precision: 0, addonAfter: '天内' }} rules={[{ required: true, message: '请输入天数' }]} />
          <Form.Item name="minSpend" rules={[fenRule(true)]}>
            <YuanInput placeholder="累计消费满" style={{ width: 160 }} />
          </Form.Item>
          <ProFormText name="ratio" placeholder="比例" width="xs" fieldProps={{ suffix: '%' }} rules={[ratioRule(true)]} />
        </ProFormGroup>
      </ProFormList>
      <ProFormSwitch name={['queue', 'lotteryOn']} label="抽奖" checkedChildren="开" unCheckedChildren="关" />
      <ProFormDependency name={[['queue', 'lotteryOn'], ['queue', 'lotteryKind']]}>
        {({ queue }) =>
          queue?.lotteryOn ? (
            <ProFormGroup>
              <ProFormRadio.Group name={['queue', 'lotteryKind']} options={[{ label: '固定比例', value: 'fixed' }, { label: '区间随机', value: 'range' }]} />
              {queue.lotteryKind === 'range' ? (
                <>
                  <ProFormText name={['queue', 'lotteryMin']} placeholder="最低" width="xs" fieldProps={{ suffix: '%' }} rules={[ratioRule(true)]} />
                  <ProFormText name={['queue', 'lotteryMax']} placeholder="最高" width="xs" fieldProps={{ suffix: '%' }} rules={[ratioRule(true)]} />
                </>
              ) : (
                <ProFormText name={['queue', 'lotteryRatios']} placeholder="如 100, 130, 150" width="sm" rules={[{ required: true, message: '请输入比例' }]} />
              )}
            </ProFormGroup>
          ) : null
        }
      </ProFormDependency>
      <ProFormList name={['queue', 'windows']} label="奖励时段" creatorButtonProps={{ creatorButtonText: '添加时段' }} copyIconProps={false}>
        <ProFormGroup>
          <ProFormText name="from" placeholder="开始 HH:MM" width="xs" rules={[{ required: true, message: '必填' }, clock]} />
          <ProFormText name="to" placeholder="结束 HH:MM" width="xs" rules={[{ required: true, message: '必填' }, clock]} />
        </ProFormGroup>
      </ProFormList>
      {(owner === 'store' || owner === 'cashier') && (
        <ProFormGroup title="随机返还">
          <ProFormSwitch name={['queue', 'rrOn']} label="开启" />
          <ProFormDigit name={['queue', 'rrCash']} label="现金名额" width="xs" min={0} fieldProps={{ precision: 0 }} />
          <ProFormDigit name={['queue', 'rrPoints']} label="积分名额" width="xs" min={0} fieldProps={{ precision: 0 }} />
        </ProFormGroup>
      )}
    </>
  );
}

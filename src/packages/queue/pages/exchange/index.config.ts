export default definePageConfig({ navigationBarTitleText: '权益兑换' });

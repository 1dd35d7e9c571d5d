export default definePageConfig({ navigationBarTitleText: '商家结算', enablePullDownRefresh: true });

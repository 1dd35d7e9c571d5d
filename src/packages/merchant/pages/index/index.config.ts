export default definePageConfig({ navigationBarTitleText: '商家中心', enablePullDownRefresh: true });

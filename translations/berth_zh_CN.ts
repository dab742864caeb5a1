<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>DisplayText</name>
    <message>
        <source>OCI image</source>
        <translation>OCI 镜像</translation>
    </message>
    <message>
        <source>OCI index</source>
        <translation>OCI 索引</translation>
    </message>
    <message>
        <source>OCI image config</source>
        <translation>OCI 镜像配置</translation>
    </message>
    <message>
        <source>Empty</source>
        <translation>空</translation>
    </message>
    <message>
        <source>OCI layer</source>
        <translation>OCI 层</translation>
    </message>
    <message>
        <source>OCI layer (gzip)</source>
        <translation>OCI 层 (gzip)</translation>
    </message>
    <message>
        <source>OCI layer (zstd)</source>
        <translation>OCI 层 (zstd)</translation>
    </message>
    <message>
        <source>Docker image</source>
        <translation>Docker 镜像</translation>
    </message>
    <message>
        <source>Docker manifest list</source>
        <translation>Docker 清单列表</translation>
    </message>
    <message>
        <source>Docker schema 1 image</source>
        <translation>Docker schema 1 镜像</translation>
    </message>
    <message>
        <source>Docker image config</source>
        <translation>Docker 镜像配置</translation>
    </message>
    <message>
        <source>Docker layer (gzip)</source>
        <translation>Docker 层 (gzip)</translation>
    </message>
    <message>
        <source>Docker foreign layer</source>
        <translation>Docker 外部层</translation>
    </message>
</context>
<context>
    <name>LocalServerConfig</name>
    <message>
        <source>Cannot create the folder &quot;%1&quot;.</source>
        <translation>无法创建文件夹“%1”。</translation>
    </message>
    <message>
        <source>Cannot write &quot;%1&quot;: %2</source>
        <translation>无法写入“%1”：%2</translation>
    </message>
</context>
<context>
    <name>ServerStateDisplay</name>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>Starting</source>
        <translation>正在启动</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>Crashed</source>
        <translation>已崩溃</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
</context>
<context>
    <name>berth::app::AdminClient</name>
    <message>
        <source>The admin API of %1 refused the admin token.</source>
        <translation>%1 的管理 API 拒绝了管理令牌。</translation>
    </message>
    <message>
        <source>%1 does not offer %2; it may run an older version of berthd.</source>
        <translation>%1 不提供 %2；它运行的可能是较旧版本的 berthd。</translation>
    </message>
    <message>
        <source>%1 refused the request: %2.</source>
        <translation>%1 拒绝了请求：%2。</translation>
    </message>
    <message>
        <source>%1 no longer knows the job %2; the server may have restarted.</source>
        <translation>%1 已找不到任务 %2；服务器可能已重启。</translation>
    </message>
    <message>
        <source>%1 has no repository %2.</source>
        <translation>%1 上没有仓库 %2。</translation>
    </message>
</context>
<context>
    <name>berth::app::AdminDocuments</name>
    <message>
        <source>not JSON (%1)</source>
        <translation>不是 JSON（%1）</translation>
    </message>
    <message>
        <source>not a JSON object</source>
        <translation>不是 JSON 对象</translation>
    </message>
    <message>
        <source>a repository without a name</source>
        <translation>一个没有名称的仓库</translation>
    </message>
    <message>
        <source>a job without an id</source>
        <translation>一个没有 ID 的任务</translation>
    </message>
    <message>
        <source>a job in the unknown state &quot;%1&quot;</source>
        <translation>一个处于未知状态“%1”的任务</translation>
    </message>
    <message>
        <source>a retention rule without repositories</source>
        <translation>一条没有仓库的保留规则</translation>
    </message>
    <message>
        <source>storage statistics without totals</source>
        <translation>缺少总计的存储统计</translation>
    </message>
    <message>
        <source>a storage sample without a valid time</source>
        <translation>一个时间无效的存储采样</translation>
    </message>
    <message>
        <source>no job id</source>
        <translation>没有任务 ID</translation>
    </message>
    <message>
        <source>a retention preview without a list of deletions</source>
        <translation>一个缺少删除列表的保留预览</translation>
    </message>
    <message>
        <source>an image without a digest</source>
        <translation>一个没有摘要的镜像</translation>
    </message>
    <message>
        <source>a layer without a digest</source>
        <translation>一个没有摘要的层</translation>
    </message>
    <message>
        <source>a repository&apos;s images without its name</source>
        <translation>仓库的镜像列表缺少仓库名</translation>
    </message>
    <message>
        <source>a repository without a list of images</source>
        <translation>仓库缺少镜像列表</translation>
    </message>
</context>
<context>
    <name>berth::app::CredentialStore</name>
    <message>
        <source>No keychain is available to keep passwords (%1).</source>
        <translation>没有可用于保存密码的密钥环（%1）。</translation>
    </message>
    <message>
        <source>The keychain refused access: %1</source>
        <translation>密钥环拒绝访问：%1</translation>
    </message>
    <message>
        <source>The keychain failed: %1</source>
        <translation>密钥环出错：%1</translation>
    </message>
    <message>
        <source>The keychain entry for %1 is damaged.</source>
        <translation>%1 的密钥环条目已损坏。</translation>
    </message>
</context>
<context>
    <name>berth::app::RegistryDocuments</name>
    <message>
        <source>the listing is not a JSON object</source>
        <translation>列表不是 JSON 对象</translation>
    </message>
    <message>
        <source>&quot;%1&quot; in the listing is not a list</source>
        <translation>列表中的“%1”不是数组</translation>
    </message>
    <message>
        <source>&quot;%1&quot; in the listing holds something other than names</source>
        <translation>列表中的“%1”包含名称以外的内容</translation>
    </message>
    <message>
        <source>%1 is not a digest the console can check</source>
        <translation>%1 不是控制台能够校验的摘要</translation>
    </message>
    <message>
        <source>the content does not match its digest %1</source>
        <translation>内容与其摘要 %1 不符</translation>
    </message>
    <message>
        <source>the manifest is not valid: %1</source>
        <translation>清单无效：%1</translation>
    </message>
    <message>
        <source>the image config is not a JSON object</source>
        <translation>镜像配置不是 JSON 对象</translation>
    </message>
    <message>
        <source>the referrers list is not a valid OCI index: %1</source>
        <translation>引用者列表不是有效的 OCI 索引：%1</translation>
    </message>
</context>
<context>
    <name>berth::app::RegistryErrors</name>
    <message>
        <source>Cannot connect to %1: connection refused.</source>
        <translation>无法连接到 %1：连接被拒绝。</translation>
    </message>
    <message>
        <source>Cannot connect to %1: the host name is unknown.</source>
        <translation>无法连接到 %1：主机名未知。</translation>
    </message>
    <message>
        <source>%1 did not answer in time (timed out).</source>
        <translation>%1 未能及时应答（超时）。</translation>
    </message>
    <message>
        <source>%1 closed the connection before answering.</source>
        <translation>%1 在应答前关闭了连接。</translation>
    </message>
    <message>
        <source>Cannot make a secure connection to %1: %2.</source>
        <translation>无法与 %1 建立安全连接：%2。</translation>
    </message>
    <message>
        <source>Cannot talk to %1: %2.</source>
        <translation>无法与 %1 通信：%2。</translation>
    </message>
    <message>
        <source>it is self-signed</source>
        <translation>它是自签名证书</translation>
    </message>
    <message>
        <source>it expired on %1</source>
        <translation>它已于 %1 过期</translation>
    </message>
    <message>
        <source>it is not valid before %1</source>
        <translation>它在 %1 之前无效</translation>
    </message>
    <message>
        <source>it is for %1, not for %2</source>
        <translation>它属于 %1，而不是 %2</translation>
    </message>
    <message>
        <source>it is signed by an authority this computer does not trust</source>
        <translation>它由本机不信任的证书颁发机构签发</translation>
    </message>
    <message>
        <source>it has been revoked</source>
        <translation>它已被吊销</translation>
    </message>
    <message>
        <source>The certificate of %1 is not trusted: %2.</source>
        <translation>%1 的证书不受信任：%2。</translation>
    </message>
    <message>
        <source>%1 needs a username and password.</source>
        <translation>%1 需要用户名和密码。</translation>
    </message>
    <message>
        <source>%1 refused the username or password.</source>
        <translation>%1 拒绝了用户名或密码。</translation>
    </message>
    <message>
        <source>%1 asks for a kind of sign-in the console does not support (%2).</source>
        <translation>%1 要求的登录方式控制台不支持（%2）。</translation>
    </message>
    <message>
        <source>none named</source>
        <translation>未指明</translation>
    </message>
    <message>
        <source>%1 sent an answer the console cannot read: %2.</source>
        <translation>%1 返回了控制台无法读取的应答：%2。</translation>
    </message>
    <message>
        <source>The request was cancelled.</source>
        <translation>请求已取消。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a valid repository name.</source>
        <translation>“%1”不是有效的仓库名称。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a valid tag or digest.</source>
        <translation>“%1”不是有效的标签或摘要。</translation>
    </message>
    <message>
        <source>%1 does not answer as a container registry (nothing at /v2/).</source>
        <translation>%1 没有以容器镜像仓库的方式应答（/v2/ 下没有内容）。</translation>
    </message>
    <message>
        <source>Repository %1 does not exist on %2.</source>
        <translation>仓库 %1 在 %2 上不存在。</translation>
    </message>
    <message>
        <source>%1 does not exist on %2.</source>
        <translation>%1 在 %2 上不存在。</translation>
    </message>
    <message>
        <source>Blob %1 does not exist in %2 on %3.</source>
        <translation>Blob %1 在 %3 的 %2 中不存在。</translation>
    </message>
    <message>
        <source>%1 is not a valid repository name for %2.</source>
        <translation>对于 %2，%1 不是有效的仓库名称。</translation>
    </message>
    <message>
        <source>%1 refused the request: not signed in%2.</source>
        <translation>%1 拒绝了请求：未登录%2。</translation>
    </message>
    <message>
        <source>%1 does not allow this for %2%3.</source>
        <translation>%1 不允许对 %2 执行此操作%3。</translation>
    </message>
    <message>
        <source>%1 does not support this%2.</source>
        <translation>%1 不支持此操作%2。</translation>
    </message>
    <message>
        <source>%1 is receiving too many requests; try again later.</source>
        <translation>%1 收到的请求过多，请稍后再试。</translation>
    </message>
    <message>
        <source>%1 has nothing at %2.</source>
        <translation>%1 在 %2 下没有内容。</translation>
    </message>
    <message>
        <source>%1 failed with an internal error (HTTP %2)%3.</source>
        <translation>%1 发生内部错误（HTTP %2）%3。</translation>
    </message>
    <message>
        <source>%1 refused the request (HTTP %2)%3.</source>
        <translation>%1 拒绝了请求（HTTP %2）%3。</translation>
    </message>
    <message>
        <source>Deleting is disabled on this registry (%1).</source>
        <translation>此镜像仓库已禁用删除（%1）。</translation>
    </message>
    <message>
        <source>%1 cannot delete a tag on its own; deleting the manifest removes every tag that points to it.</source>
        <translation>%1 无法单独删除标签；删除清单会移除指向它的所有标签。</translation>
    </message>
    <message>
        <source>%1 does not offer the referrers API.</source>
        <translation>%1 不提供引用者 API。</translation>
    </message>
</context>
<context>
    <name>berth::app::RegistryTransport</name>
    <message>
        <source>too many redirects</source>
        <translation>重定向次数过多</translation>
    </message>
    <message>
        <source>the token server sent no token</source>
        <translation>令牌服务器未返回令牌</translation>
    </message>
</context>
<context>
    <name>berth::app::ServerSupervisor</name>
    <message>
        <source>berthd, the registry server, was not found beside berth in %1 or in %2.</source>
        <translation>在 %1 或 %2 中均未找到与 berth 一同安装的镜像仓库服务器 berthd。</translation>
    </message>
    <message>
        <source>berthd, the registry server, was not found at %1.</source>
        <translation>在 %1 未找到镜像仓库服务器 berthd。</translation>
    </message>
    <message>
        <source>%1 is not an executable program.</source>
        <translation>%1 不是可执行程序。</translation>
    </message>
    <message>
        <source>The registry server could not start: berthd exited with code %1.</source>
        <translation>镜像仓库服务器无法启动：berthd 以代码 %1 退出。</translation>
    </message>
    <message>
        <source>The registry server could not start: %1</source>
        <translation>镜像仓库服务器无法启动：%1</translation>
    </message>
    <message>
        <source>Port %1, which the registry&apos;s admin API needs on 127.0.0.1, is already in use by another program. Choose another admin port in the settings.</source>
        <translation>镜像仓库的管理 API 需要使用 127.0.0.1 上的端口 %1，但该端口已被其他程序占用。请在设置中选择其他管理端口。</translation>
    </message>
    <message>
        <source>Port %1 is already in use by another program, so the registry cannot listen on it. Choose another port in the settings.</source>
        <translation>端口 %1 已被其他程序占用，镜像仓库无法在其上监听。请在设置中选择其他端口。</translation>
    </message>
    <message>
        <source>berthd did not report that it was ready within %1 s, so it was stopped.</source>
        <translation>berthd 未在 %1 秒内报告就绪，因此已被停止。</translation>
    </message>
    <message>
        <source>berthd was killed by signal %1 (%2).</source>
        <translation>berthd 被信号 %1（%2）终止。</translation>
    </message>
    <message>
        <source>berthd exited with code %1.</source>
        <translation>berthd 以代码 %1 退出。</translation>
    </message>
    <message>
        <source>Its last error: %1</source>
        <translation>最后一个错误：%1</translation>
    </message>
    <message>
        <source>Cannot run %1: %2</source>
        <translation>无法运行 %1：%2</translation>
    </message>
    <message>
        <source>berthd stopped unexpectedly %1 times within %2 s, so berth gave up restarting it. %3</source>
        <translation>berthd 在 %2 秒内意外停止了 %1 次，berth 已放弃重启它。%3</translation>
    </message>
</context>
<context>
    <name>berth::ui::AddRegistryDialog</name>
    <message>
        <source>Add Registry</source>
        <translation>添加镜像仓库</translation>
    </message>
    <message>
        <source>Edit Registry</source>
        <translation>编辑镜像仓库</translation>
    </message>
    <message>
        <source>The URL, name and credentials of a registry</source>
        <translation>镜像仓库的 URL、名称和凭据</translation>
    </message>
    <message>
        <source>https://registry.example.com</source>
        <translation>https://registry.example.com</translation>
    </message>
    <message>
        <source>Registry URL</source>
        <translation>镜像仓库 URL</translation>
    </message>
    <message>
        <source>Where the registry answers, e.g. https://registry.example.com or http://127.0.0.1:5000</source>
        <translation>镜像仓库的访问地址，例如 https://registry.example.com 或 http://127.0.0.1:5000</translation>
    </message>
    <message>
        <source>Host and port, unless you name it</source>
        <translation>不填写则使用主机和端口</translation>
    </message>
    <message>
        <source>Registry name</source>
        <translation>镜像仓库名称</translation>
    </message>
    <message>
        <source>How the registry is called in the sidebar</source>
        <translation>镜像仓库在侧边栏中显示的名称</translation>
    </message>
    <message>
        <source>Anonymous access when empty</source>
        <translation>留空则匿名访问</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>The account to sign in with, if the registry needs one</source>
        <translation>镜像仓库需要登录时使用的账号</translation>
    </message>
    <message>
        <source>Password or token</source>
        <translation>密码或令牌</translation>
    </message>
    <message>
        <source>The account&apos;s password or an access token</source>
        <translation>账号的密码或访问令牌</translation>
    </message>
    <message>
        <source>URL problem</source>
        <translation>URL 问题</translation>
    </message>
    <message>
        <source>Why the URL cannot be used yet</source>
        <translation>URL 暂不可用的原因</translation>
    </message>
    <message>
        <source>&amp;URL:</source>
        <translation>URL(&amp;U)：</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>名称(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Username:</source>
        <translation>用户名(&amp;U)：</translation>
    </message>
    <message>
        <source>&amp;Password or token:</source>
        <translation>密码或令牌(&amp;P)：</translation>
    </message>
    <message>
        <source>Passwords and tokens are kept in the system keychain, not in Berth&apos;s settings file.</source>
        <translation>密码和令牌保存在系统密钥环中，而不是 Berth 的设置文件里。</translation>
    </message>
    <message>
        <source>Keychain note</source>
        <translation>密钥环说明</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>添加(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>Dialog buttons</source>
        <translation>对话框按钮</translation>
    </message>
    <message>
        <source>Confirm or cancel</source>
        <translation>确认或取消</translation>
    </message>
    <message>
        <source>Enter the registry&apos;s URL.</source>
        <translation>请输入镜像仓库的 URL。</translation>
    </message>
    <message>
        <source>This is not a valid URL.</source>
        <translation>这不是有效的 URL。</translation>
    </message>
    <message>
        <source>The URL must start with http:// or https://.</source>
        <translation>URL 必须以 http:// 或 https:// 开头。</translation>
    </message>
    <message>
        <source>The URL needs a host name.</source>
        <translation>URL 需要包含主机名。</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Add the registry to the sidebar</source>
        <translation>将镜像仓库添加到侧边栏</translation>
    </message>
    <message>
        <source>Save the changes</source>
        <translation>保存更改</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Close without changes</source>
        <translation>不做更改并关闭</translation>
    </message>
</context>
<context>
    <name>berth::ui::AdminPageStack</name>
    <message>
        <source>Why this page has nothing to show</source>
        <translation>此页面没有内容可显示的原因</translation>
    </message>
</context>
<context>
    <name>berth::ui::BrowserPage</name>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>%1 progress</source>
        <translation>%1进度</translation>
    </message>
    <message>
        <source>Registry browser</source>
        <translation>镜像仓库浏览器</translation>
    </message>
    <message>
        <source>Repositories, their tags and the details of the selected tag</source>
        <translation>仓库、仓库的标签以及所选标签的详细信息</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>List the repositories and tags again</source>
        <translation>重新列出仓库和标签</translation>
    </message>
    <message>
        <source>&amp;Filter Repositories</source>
        <translation>筛选仓库(&amp;F)</translation>
    </message>
    <message>
        <source>Type to filter the repositories</source>
        <translation>输入文字以筛选仓库</translation>
    </message>
    <message>
        <source>Copy &amp;Pull Command</source>
        <translation>复制拉取命令(&amp;P)</translation>
    </message>
    <message>
        <source>Copy the docker pull command of the selected tag</source>
        <translation>复制所选标签的 docker pull 命令</translation>
    </message>
    <message>
        <source>Copy &amp;Digest</source>
        <translation>复制摘要(&amp;D)</translation>
    </message>
    <message>
        <source>Copy the digest of the selected tag</source>
        <translation>复制所选标签的摘要</translation>
    </message>
    <message>
        <source>Delete &amp;Tag…</source>
        <translation>删除标签(&amp;T)…</translation>
    </message>
    <message>
        <source>Delete the selected tag</source>
        <translation>删除所选标签</translation>
    </message>
    <message>
        <source>Delete &amp;Manifest…</source>
        <translation>删除清单(&amp;M)…</translation>
    </message>
    <message>
        <source>Delete the manifest of the selected tag, with all its tags</source>
        <translation>删除所选标签的清单及其所有标签</translation>
    </message>
    <message>
        <source>&amp;Retry</source>
        <translation>重试(&amp;R)</translation>
    </message>
    <message>
        <source>Ask the registry for the repositories again</source>
        <translation>重新向镜像仓库请求仓库列表</translation>
    </message>
    <message>
        <source>Ask the registry for the tags again</source>
        <translation>重新向镜像仓库请求标签列表</translation>
    </message>
    <message>
        <source>Browser actions</source>
        <translation>浏览器操作</translation>
    </message>
    <message>
        <source>Tags and details</source>
        <translation>标签和详细信息</translation>
    </message>
    <message>
        <source>Repositories and tags</source>
        <translation>仓库和标签</translation>
    </message>
    <message>
        <source>Repositories pane</source>
        <translation>仓库窗格</translation>
    </message>
    <message>
        <source>The repositories of the registry, with a filter</source>
        <translation>镜像仓库中的仓库，可筛选</translation>
    </message>
    <message>
        <source>Filter repositories</source>
        <translation>筛选仓库</translation>
    </message>
    <message>
        <source>Shows only the repositories whose name contains this text</source>
        <translation>只显示名称包含此文字的仓库</translation>
    </message>
    <message>
        <source>Repositories</source>
        <translation>仓库</translation>
    </message>
    <message>
        <source>Select a repository to list its tags</source>
        <translation>选择一个仓库以列出其标签</translation>
    </message>
    <message>
        <source>Repositories status</source>
        <translation>仓库状态</translation>
    </message>
    <message>
        <source>Tags pane</source>
        <translation>标签窗格</translation>
    </message>
    <message>
        <source>The tags of the selected repository</source>
        <translation>所选仓库的标签</translation>
    </message>
    <message>
        <source>Repository shown</source>
        <translation>当前显示的仓库</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>The tags of the selected repository; Delete deletes the selected tag</source>
        <translation>所选仓库的标签；按 Delete 删除所选标签</translation>
    </message>
    <message>
        <source>Tags status</source>
        <translation>标签状态</translation>
    </message>
    <message>
        <source>Refreshing %1</source>
        <translation>正在刷新 %1</translation>
    </message>
    <message>
        <source>No registry selected.</source>
        <translation>未选择镜像仓库。</translation>
    </message>
    <message>
        <source>%1 of %2 repositories match.</source>
        <translation>%2 个仓库中有 %1 个匹配。</translation>
    </message>
    <message>
        <source>%1 match so far, searching %2 repositories loaded…</source>
        <translation>目前有 %1 个匹配，正在搜索已加载的 %2 个仓库…</translation>
    </message>
    <message>
        <source>Loading repositories… %1 so far</source>
        <translation>正在加载仓库… 目前 %1 个</translation>
    </message>
    <message>
        <source>Select a repository to see its tags.</source>
        <translation>选择一个仓库以查看其标签。</translation>
    </message>
    <message>
        <source>Tags of %1</source>
        <translation>%1 的标签</translation>
    </message>
    <message>
        <source>Loading tags… %1 so far</source>
        <translation>正在加载标签… 目前 %1 个</translation>
    </message>
    <message>
        <source>Copied “%1”</source>
        <translation>已复制“%1”</translation>
    </message>
    <message>
        <source>Copied %1</source>
        <translation>已复制 %1</translation>
    </message>
    <message>
        <source>Deleting the tag %1…</source>
        <translation>正在删除标签 %1…</translation>
    </message>
    <message>
        <source>Deleted the tag %1 from %2</source>
        <translation>已从 %2 删除标签 %1</translation>
    </message>
    <message>
        <source>This registry cannot delete a tag on its own. Deleting its manifest %1 instead would also delete these tags: %2.</source>
        <translation>此镜像仓库无法单独删除标签。改为删除其清单 %1 将同时删除这些标签：%2。</translation>
    </message>
    <message>
        <source>Cannot delete the tag %1: %2</source>
        <translation>无法删除标签 %1：%2</translation>
    </message>
    <message>
        <source>Deleting the manifest %1…</source>
        <translation>正在删除清单 %1…</translation>
    </message>
    <message>
        <source>Deleted the manifest %1</source>
        <translation>已删除清单 %1</translation>
    </message>
    <message>
        <source>Deleted the manifest %1 and the tags %2</source>
        <translation>已删除清单 %1 和标签 %2</translation>
    </message>
    <message>
        <source>Cannot delete the manifest %1: %2</source>
        <translation>无法删除清单 %1：%2</translation>
    </message>
    <message>
        <source>Moves while more is being fetched from the registry</source>
        <translation>正在从镜像仓库获取更多内容时滚动</translation>
    </message>
    <message>
        <source>Refresh, copy and delete</source>
        <translation>刷新、复制和删除</translation>
    </message>
    <message>
        <source>The tags of the repository above the details of the tag</source>
        <translation>上方为仓库的标签，下方为标签的详细信息</translation>
    </message>
    <message>
        <source>The repositories beside their tags</source>
        <translation>仓库及其旁边的标签</translation>
    </message>
    <message>
        <source>How many repositories are listed and whether more are coming</source>
        <translation>已列出的仓库数量，以及是否还有更多</translation>
    </message>
    <message>
        <source>The repository whose tags are listed</source>
        <translation>正在列出其标签的仓库</translation>
    </message>
    <message>
        <source>How many tags are listed and whether more are coming</source>
        <translation>已列出的标签数量，以及是否还有更多</translation>
    </message>
    <message>
        <source>Repositories: %1</source>
        <translation>仓库：%1</translation>
    </message>
    <message>
        <source>Repositories: %1, more below</source>
        <translation>仓库：%1，下方还有更多</translation>
    </message>
    <message>
        <source>Tags: %1</source>
        <translation>标签：%1</translation>
    </message>
    <message>
        <source>Tags: %1, more below</source>
        <translation>标签：%1，下方还有更多</translation>
    </message>
    <message>
        <source>Tags: %1; reading their manifests: %2 done…</source>
        <translation>标签：%1；正在读取其清单：已完成 %2…</translation>
    </message>
</context>
<context>
    <name>berth::ui::CertificateDialog</name>
    <message>
        <source>Untrusted Certificate</source>
        <translation>不受信任的证书</translation>
    </message>
    <message>
        <source>Whether to trust the certificate a registry presented</source>
        <translation>是否信任镜像仓库出示的证书</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;%1&lt;/b&gt; presented a certificate this computer does not trust.&lt;/p&gt;&lt;p&gt;%2&lt;/p&gt;&lt;p&gt;Trust it only if you know it is the registry&apos;s own certificate, for example by comparing its fingerprint with the one on the server.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;%1&lt;/b&gt; 出示了一个本机不信任的证书。&lt;/p&gt;&lt;p&gt;%2&lt;/p&gt;&lt;p&gt;只有在确认这是该镜像仓库自己的证书时才信任它，例如将其指纹与服务器上的指纹进行比对。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Explanation</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Why the connection was refused and what trusting means</source>
        <translation>连接被拒绝的原因，以及信任意味着什么</translation>
    </message>
    <message>
        <source>%1 to %2</source>
        <translation>%1 至 %2</translation>
    </message>
    <message>
        <source>(expired)</source>
        <translation>（已过期）</translation>
    </message>
    <message>
        <source>(not yet valid)</source>
        <translation>（尚未生效）</translation>
    </message>
    <message>
        <source>Subject:</source>
        <translation>使用者：</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>使用者</translation>
    </message>
    <message>
        <source>Issuer:</source>
        <translation>颁发者：</translation>
    </message>
    <message>
        <source>Issuer</source>
        <translation>颁发者</translation>
    </message>
    <message>
        <source>SHA-256 fingerprint:</source>
        <translation>SHA-256 指纹：</translation>
    </message>
    <message>
        <source>SHA-256 fingerprint</source>
        <translation>SHA-256 指纹</translation>
    </message>
    <message>
        <source>Valid:</source>
        <translation>有效期：</translation>
    </message>
    <message>
        <source>Validity</source>
        <translation>有效期</translation>
    </message>
    <message>
        <source>&amp;Trust This Certificate</source>
        <translation>信任此证书(&amp;T)</translation>
    </message>
    <message>
        <source>Trust this certificate</source>
        <translation>信任此证书</translation>
    </message>
    <message>
        <source>Accept this certificate for this registry from now on</source>
        <translation>从现在起为此镜像仓库接受此证书</translation>
    </message>
    <message>
        <source>Do not trust</source>
        <translation>不信任</translation>
    </message>
    <message>
        <source>Leave the registry unreachable</source>
        <translation>保持镜像仓库不可访问</translation>
    </message>
</context>
<context>
    <name>berth::ui::CollectionItemsModel</name>
    <message>
        <source>Untagged manifest</source>
        <translation>无标签的清单</translation>
    </message>
    <message>
        <source>Unreferenced blob</source>
        <translation>未被引用的 blob</translation>
    </message>
    <message>
        <source>What</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>Repository</source>
        <translation>仓库</translation>
    </message>
    <message>
        <source>Digest</source>
        <translation>摘要</translation>
    </message>
</context>
<context>
    <name>berth::ui::DeleteTagDialog</name>
    <message>
        <source>Delete Tag</source>
        <translation>删除标签</translation>
    </message>
    <message>
        <source>Delete Manifest</source>
        <translation>删除清单</translation>
    </message>
    <message>
        <source>Asks before deleting one tag</source>
        <translation>删除一个标签前进行确认</translation>
    </message>
    <message>
        <source>Asks before deleting a manifest and every tag on it</source>
        <translation>删除清单及其所有标签前进行确认</translation>
    </message>
    <message>
        <source>Question</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>About the listed tags</source>
        <translation>关于列出的标签</translation>
    </message>
    <message>
        <source>Other tags on the same manifest</source>
        <translation>同一清单上的其他标签</translation>
    </message>
    <message>
        <source>Tags deleted with the manifest</source>
        <translation>随清单一起删除的标签</translation>
    </message>
    <message>
        <source>These tags stay</source>
        <translation>这些标签会保留</translation>
    </message>
    <message>
        <source>These tags are deleted too</source>
        <translation>这些标签也会被删除</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <source>Checking tags</source>
        <translation>正在检查标签</translation>
    </message>
    <message>
        <source>&amp;Delete Tag</source>
        <translation>删除标签(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Delete Manifest</source>
        <translation>删除清单(&amp;D)</translation>
    </message>
    <message>
        <source>Delete tag</source>
        <translation>删除标签</translation>
    </message>
    <message>
        <source>Delete manifest</source>
        <translation>删除清单</translation>
    </message>
    <message>
        <source>Deletes at once; this cannot be undone</source>
        <translation>立即删除；此操作无法撤销</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Closes this dialog and deletes nothing</source>
        <translation>关闭此对话框，不删除任何内容</translation>
    </message>
    <message>
        <source>Delete the tag “%1” from %2?</source>
        <translation>要从 %2 删除标签“%1”吗？</translation>
    </message>
    <message>
        <source>Finding the manifest of this tag…</source>
        <translation>正在查找此标签的清单…</translation>
    </message>
    <message>
        <source>No other tag points to its manifest %1. The manifest stays in the registry, untagged, until garbage collection removes it.</source>
        <translation>没有其他标签指向其清单 %1。该清单将以无标签状态留在镜像仓库中，直到垃圾回收将其移除。</translation>
    </message>
    <message>
        <source>Other tags on the same manifest (%1) stay:</source>
        <translation>同一清单（%1）上的其他标签会保留：</translation>
    </message>
    <message>
        <source>Delete the manifest %1 from %2? This cannot be undone.</source>
        <translation>要从 %2 删除清单 %1 吗？此操作无法撤销。</translation>
    </message>
    <message>
        <source>These tags point to it and are deleted with it:</source>
        <translation>以下标签指向它，将随它一起删除：</translation>
    </message>
    <message>
        <source>Checking which tags point to this manifest: %1 of %2 tags…</source>
        <translation>正在检查哪些标签指向此清单：已检查 %2 个标签中的 %1 个…</translation>
    </message>
    <message>
        <source>What is about to be deleted</source>
        <translation>即将删除的内容</translation>
    </message>
    <message>
        <source>What happens to the tags listed below</source>
        <translation>下方列出的标签会发生什么</translation>
    </message>
    <message>
        <source>How many tags have been checked so far</source>
        <translation>目前已检查的标签数量</translation>
    </message>
    <message>
        <source>Moves while the tags of the repository are checked</source>
        <translation>检查仓库标签时滚动</translation>
    </message>
</context>
<context>
    <name>berth::ui::DescriptorModel</name>
    <message>
        <source>Platform</source>
        <translation>平台</translation>
    </message>
    <message>
        <source>Artifact type</source>
        <translation>制品类型</translation>
    </message>
    <message>
        <source>Digest</source>
        <translation>摘要</translation>
    </message>
    <message>
        <source>Media type</source>
        <translation>媒体类型</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
</context>
<context>
    <name>berth::ui::GarbageCollectionDialog</name>
    <message>
        <source>Collect Garbage</source>
        <translation>垃圾回收</translation>
    </message>
    <message>
        <source>Collect garbage</source>
        <translation>垃圾回收</translation>
    </message>
    <message>
        <source>Shows what garbage collection would delete, then collects it with progress</source>
        <translation>显示垃圾回收将删除的内容，然后执行回收并显示进度</translation>
    </message>
    <message>
        <source>Garbage collection state</source>
        <translation>垃圾回收状态</translation>
    </message>
    <message>
        <source>What the dialog is doing or found</source>
        <translation>对话框正在做什么或发现了什么</translation>
    </message>
    <message>
        <source>Garbage collection details</source>
        <translation>垃圾回收详情</translation>
    </message>
    <message>
        <source>How much would be or was freed, and why</source>
        <translation>将会或已经释放多少空间，以及原因</translation>
    </message>
    <message>
        <source>Garbage collection phase</source>
        <translation>垃圾回收阶段</translation>
    </message>
    <message>
        <source>The step the server is working on</source>
        <translation>服务器正在执行的步骤</translation>
    </message>
    <message>
        <source>Garbage collection progress</source>
        <translation>垃圾回收进度</translation>
    </message>
    <message>
        <source>How far the server is in the current step</source>
        <translation>服务器在当前步骤中的进度</translation>
    </message>
    <message>
        <source>Items to delete</source>
        <translation>要删除的项目</translation>
    </message>
    <message>
        <source>The untagged manifests and unreferenced blobs garbage collection deletes</source>
        <translation>垃圾回收将删除的无标签清单和未被引用的 blob</translation>
    </message>
    <message>
        <source>Also delete &amp;manifests no tag points to</source>
        <translation>同时删除没有标签指向的清单(&amp;M)</translation>
    </message>
    <message>
        <source>Delete untagged manifests</source>
        <translation>删除无标签的清单</translation>
    </message>
    <message>
        <source>Also deletes manifests that no tag reaches, and the blobs only they use</source>
        <translation>同时删除没有任何标签可达的清单，以及仅被它们使用的 blob</translation>
    </message>
    <message>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source>Grace period in minutes</source>
        <translation>宽限期（分钟）</translation>
    </message>
    <message>
        <source>Blobs uploaded more recently than this are kept: they may belong to a push still going on</source>
        <translation>在此时间内上传的 blob 会被保留：它们可能属于仍在进行中的推送</translation>
    </message>
    <message>
        <source>&amp;Keep blobs uploaded in the last:</source>
        <translation>保留最近上传的 blob(&amp;K)：</translation>
    </message>
    <message>
        <source>&amp;Preview Again</source>
        <translation>重新预览(&amp;P)</translation>
    </message>
    <message>
        <source>Preview again</source>
        <translation>重新预览</translation>
    </message>
    <message>
        <source>Runs the dry run again with the options as they are</source>
        <translation>按当前选项重新进行试运行</translation>
    </message>
    <message>
        <source>&amp;Collect Garbage</source>
        <translation>垃圾回收(&amp;C)</translation>
    </message>
    <message>
        <source>Deletes what the preview shows; the registry keeps serving meanwhile</source>
        <translation>删除预览中显示的内容；期间镜像仓库继续提供服务</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <source>Cannot stop the garbage collection: %1</source>
        <translation>无法停止垃圾回收：%1</translation>
    </message>
    <message>
        <source>the server gave no reason</source>
        <translation>服务器未给出原因</translation>
    </message>
    <message>
        <source>the dry run was stopped</source>
        <translation>试运行已停止</translation>
    </message>
    <message>
        <source>Marking what is in use</source>
        <translation>正在标记使用中的内容</translation>
    </message>
    <message>
        <source>Finding unreferenced blobs</source>
        <translation>正在查找未被引用的 blob</translation>
    </message>
    <message>
        <source>Deleting unreferenced blobs</source>
        <translation>正在删除未被引用的 blob</translation>
    </message>
    <message>
        <source>Finding abandoned uploads</source>
        <translation>正在查找已放弃的上传</translation>
    </message>
    <message>
        <source>Removing abandoned uploads</source>
        <translation>正在移除已放弃的上传</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>%v of %m</source>
        <translation>%v / %m</translation>
    </message>
    <message>
        <source>%p%</source>
        <translation>%p%</translation>
    </message>
    <message>
        <source>%1 (%2 freed so far)</source>
        <translation>%1（目前已释放 %2）</translation>
    </message>
    <message>
        <source>Nothing to collect</source>
        <translation>没有可回收的内容</translation>
    </message>
    <message>
        <source>Garbage collection would free %1</source>
        <translation>垃圾回收将释放 %1</translation>
    </message>
    <message>
        <source>Garbage collected: %1 freed</source>
        <translation>垃圾回收完成：释放了 %1</translation>
    </message>
    <message>
        <source>The preview failed</source>
        <translation>预览失败</translation>
    </message>
    <message>
        <source>Garbage collection failed</source>
        <translation>垃圾回收失败</translation>
    </message>
    <message>
        <source>Garbage collection failed: %1</source>
        <translation>垃圾回收失败：%1</translation>
    </message>
    <message>
        <source>Looking for garbage…</source>
        <translation>正在查找垃圾…</translation>
    </message>
    <message>
        <source>A dry run: nothing is deleted yet.</source>
        <translation>这是一次试运行：尚未删除任何内容。</translation>
    </message>
    <message>
        <source>Collecting garbage…</source>
        <translation>正在进行垃圾回收…</translation>
    </message>
    <message>
        <source>The registry keeps serving meanwhile. Cancel stops the collection at its next item.</source>
        <translation>期间镜像仓库继续提供服务。“取消”会在下一个项目处停止回收。</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Stops the job on the server</source>
        <translation>停止服务器上的任务</translation>
    </message>
    <message>
        <source>Closes this dialog</source>
        <translation>关闭此对话框</translation>
    </message>
    <message>
        <source>unreferenced blobs: %1</source>
        <translation>未被引用的 blob：%1</translation>
    </message>
    <message>
        <source>untagged manifests: %1</source>
        <translation>无标签的清单：%1</translation>
    </message>
    <message>
        <source>abandoned uploads: %1</source>
        <translation>已放弃的上传：%1</translation>
    </message>
    <message>
        <source>Blobs kept because they are younger than the grace period: %1.</source>
        <translation>因处于宽限期内而保留的 blob：%1。</translation>
    </message>
    <message>
        <source>Every blob is in use. Blobs kept: %1.</source>
        <translation>所有 blob 都在使用中。保留的 blob：%1。</translation>
    </message>
    <message>
        <source>To delete: %1. The registry keeps serving while it runs.</source>
        <translation>将删除：%1。运行期间镜像仓库继续提供服务。</translation>
    </message>
    <message>
        <source>Garbage collection stopped: %1 freed</source>
        <translation>垃圾回收已停止：释放了 %1</translation>
    </message>
    <message>
        <source>Deleted before it stopped: %1.</source>
        <translation>停止前已删除：%1。</translation>
    </message>
    <message>
        <source>Deleted: %1.</source>
        <translation>已删除：%1。</translation>
    </message>
</context>
<context>
    <name>berth::ui::HistoryModel</name>
    <message>
        <source>no layer</source>
        <translation>无层</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <source>Command</source>
        <translation>命令</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>berth::ui::ImageStorageModel</name>
    <message>
        <source>%1 only this image holds: deleting it would free that</source>
        <translation>%1 仅由此镜像占用：删除它即可释放</translation>
    </message>
    <message>
        <source>(untagged)</source>
        <translation>（无标签）</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Digest</source>
        <translation>摘要</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Unique</source>
        <translation>独占</translation>
    </message>
    <message>
        <source>Shared</source>
        <translation>共享</translation>
    </message>
    <message>
        <source>Pushed</source>
        <translation>推送时间</translation>
    </message>
</context>
<context>
    <name>berth::ui::InlineMessage</name>
    <message>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>Message text</source>
        <translation>消息文本</translation>
    </message>
    <message>
        <source>Close this message</source>
        <translation>关闭此消息</translation>
    </message>
    <message>
        <source>Close message</source>
        <translation>关闭消息</translation>
    </message>
    <message>
        <source>Hides this message</source>
        <translation>隐藏此消息</translation>
    </message>
    <message>
        <source>What happened, and what can be done</source>
        <translation>发生了什么，以及可以做什么</translation>
    </message>
</context>
<context>
    <name>berth::ui::LargestImagesChart</name>
    <message>
        <source>Largest images</source>
        <translation>最大的镜像</translation>
    </message>
    <message>
        <source>This registry does not report its largest images (an older berthd?)</source>
        <translation>此仓库服务不报告最大的镜像（较旧的 berthd？）</translation>
    </message>
    <message>
        <source>No images yet</source>
        <translation>还没有镜像</translation>
    </message>
    <message>
        <source>%1: %2, of which %3 only this image holds and %4 it shares</source>
        <translation>%1：%2，其中 %3 仅此镜像占用，%4 与其他镜像共享</translation>
    </message>
    <message>
        <source>Click a bar to open its image. %1</source>
        <translation>点击条形以打开其镜像。%1</translation>
    </message>
    <message>
        <source>%1
Tags: %2
%3
Click to open it in the browser</source>
        <translation>%1
标签：%2
%3
点击在浏览器中打开</translation>
    </message>
    <message>
        <source>Unique</source>
        <translation>独占</translation>
    </message>
    <message>
        <source>Shared with others</source>
        <translation>与其他共享</translation>
    </message>
</context>
<context>
    <name>berth::ui::LargestLayersChart</name>
    <message>
        <source>Largest layers</source>
        <translation>最大的层</translation>
    </message>
    <message>
        <source>This registry does not report its largest layers (an older berthd?)</source>
        <translation>此仓库服务不报告最大的层（较旧的 berthd？）</translation>
    </message>
    <message>
        <source>No layers yet</source>
        <translation>还没有层</translation>
    </message>
    <message>
        <source>in 1 image</source>
        <translation>用于 1 个镜像</translation>
    </message>
    <message>
        <source>in %1 images</source>
        <translation>用于 %1 个镜像</translation>
    </message>
    <message>
        <source>of 1 repository</source>
        <translation>分布在 1 个仓库</translation>
    </message>
    <message>
        <source>of %1 repositories</source>
        <translation>分布在 %1 个仓库</translation>
    </message>
    <message>
        <source>%1: %2, %3</source>
        <translation>%1：%2，%3</translation>
    </message>
    <message>
        <source>%1 ×%2</source>
        <translation>%1 ×%2</translation>
    </message>
    <message>
        <source>%1
%2 · %3
%4</source>
        <translation>%1
%2 · %3
%4</translation>
    </message>
    <message>
        <source>Largest layers (×: images using each)</source>
        <translation>最大的层（×：使用它的镜像数）</translation>
    </message>
    <message>
        <source>In one image</source>
        <translation>仅一个镜像使用</translation>
    </message>
    <message>
        <source>In several</source>
        <translation>多个镜像使用</translation>
    </message>
</context>
<context>
    <name>berth::ui::LogModel</name>
    <message>
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>级别</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <source>Path</source>
        <translation>路径</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>耗时</translation>
    </message>
    <message>
        <source>Repository</source>
        <translation>仓库</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详细信息</translation>
    </message>
</context>
<context>
    <name>berth::ui::LogPage</name>
    <message>
        <source>Logs</source>
        <translation>日志</translation>
    </message>
    <message>
        <source>The local registry server&apos;s log lines as they arrive</source>
        <translation>本地镜像仓库服务器实时输出的日志行</translation>
    </message>
    <message>
        <source>&amp;Filter Logs</source>
        <translation>筛选日志(&amp;F)</translation>
    </message>
    <message>
        <source>F&amp;ollow New Lines</source>
        <translation>跟随新日志行(&amp;O)</translation>
    </message>
    <message>
        <source>Keep the newest line in view; scrolling up pauses</source>
        <translation>始终显示最新的一行；向上滚动会暂停跟随</translation>
    </message>
    <message>
        <source>&amp;Copy Lines</source>
        <translation>复制日志行(&amp;C)</translation>
    </message>
    <message>
        <source>Copy the selected lines as berthd wrote them</source>
        <translation>按 berthd 输出的原样复制所选日志行</translation>
    </message>
    <message>
        <source>&amp;Save Logs…</source>
        <translation>保存日志(&amp;S)…</translation>
    </message>
    <message>
        <source>Save the lines shown to a file</source>
        <translation>将显示的日志行保存到文件</translation>
    </message>
    <message>
        <source>C&amp;lear Logs</source>
        <translation>清空日志(&amp;L)</translation>
    </message>
    <message>
        <source>Forget the lines received so far</source>
        <translation>丢弃目前已收到的日志行</translation>
    </message>
    <message>
        <source>All levels</source>
        <translation>所有级别</translation>
    </message>
    <message>
        <source>Info and above</source>
        <translation>Info 及以上</translation>
    </message>
    <message>
        <source>Warnings and errors</source>
        <translation>警告和错误</translation>
    </message>
    <message>
        <source>Errors only</source>
        <translation>仅错误</translation>
    </message>
    <message>
        <source>Log level</source>
        <translation>日志级别</translation>
    </message>
    <message>
        <source>Show only lines of this level or more severe</source>
        <translation>只显示此级别或更严重级别的日志行</translation>
    </message>
    <message>
        <source>Filter by text (Ctrl+F)</source>
        <translation>按文字筛选 (Ctrl+F)</translation>
    </message>
    <message>
        <source>Log filter</source>
        <translation>日志筛选</translation>
    </message>
    <message>
        <source>Show only lines containing this text in any column</source>
        <translation>只显示任一列中包含此文字的日志行</translation>
    </message>
    <message>
        <source>Line count</source>
        <translation>行数</translation>
    </message>
    <message>
        <source>How many lines are shown and received</source>
        <translation>显示和收到的日志行数</translation>
    </message>
    <message>
        <source>&amp;Level:</source>
        <translation>级别(&amp;L)：</translation>
    </message>
    <message>
        <source>Follow new lines</source>
        <translation>跟随新日志行</translation>
    </message>
    <message>
        <source>Copy lines</source>
        <translation>复制日志行</translation>
    </message>
    <message>
        <source>Save logs</source>
        <translation>保存日志</translation>
    </message>
    <message>
        <source>Clear logs</source>
        <translation>清空日志</translation>
    </message>
    <message>
        <source>Log lines</source>
        <translation>日志行</translation>
    </message>
    <message>
        <source>berthd&apos;s log lines, oldest first</source>
        <translation>berthd 的日志行，最早的在前</translation>
    </message>
    <message>
        <source>Lines copied: %1</source>
        <translation>已复制行数：%1</translation>
    </message>
    <message>
        <source>Save Logs</source>
        <translation>保存日志</translation>
    </message>
    <message>
        <source>Log files (*.log *.jsonl);;All files (*)</source>
        <translation>日志文件 (*.log *.jsonl);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Logs saved to %1 (lines: %2)</source>
        <translation>日志已保存到 %1（行数：%2）</translation>
    </message>
    <message>
        <source>Could not save the logs to %1: %2</source>
        <translation>无法将日志保存到 %1：%2</translation>
    </message>
    <message>
        <source>Lines: %1</source>
        <translation>行数：%1</translation>
    </message>
    <message>
        <source>Lines: %1 of %2</source>
        <translation>行数：%1 / %2</translation>
    </message>
</context>
<context>
    <name>berth::ui::MainWindow</name>
    <message>
        <source>Berth</source>
        <translation>Berth</translation>
    </message>
    <message>
        <source>The Berth registry console</source>
        <translation>Berth 镜像仓库控制台</translation>
    </message>
    <message>
        <source>Sidebar</source>
        <translation>侧边栏</translation>
    </message>
    <message>
        <source>The registries and the local server</source>
        <translation>镜像仓库和本地服务器</translation>
    </message>
    <message>
        <source>Pages</source>
        <translation>页面</translation>
    </message>
    <message>
        <source>Page tabs</source>
        <translation>页面标签页</translation>
    </message>
    <message>
        <source>Switch pages with Ctrl+1, Ctrl+2 and so on</source>
        <translation>使用 Ctrl+1、Ctrl+2 等切换页面</translation>
    </message>
    <message>
        <source>Main area</source>
        <translation>主区域</translation>
    </message>
    <message>
        <source>The sidebar beside the pages</source>
        <translation>页面旁边的侧边栏</translation>
    </message>
    <message>
        <source>Status bar</source>
        <translation>状态栏</translation>
    </message>
    <message>
        <source>Messages about what the console just did</source>
        <translation>关于控制台刚刚执行的操作的消息</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Browse</source>
        <translation>浏览(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Logs</source>
        <translation>日志(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Registry</source>
        <translation>镜像仓库(&amp;R)</translation>
    </message>
    <message>
        <source>Lo&amp;gs</source>
        <translation>日志(&amp;G)</translation>
    </message>
    <message>
        <source>&amp;Server</source>
        <translation>服务器(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Keyboard Shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;About Berth</source>
        <translation>关于 Berth(&amp;A)</translation>
    </message>
    <message>
        <source>Signing in to %1 without saved credentials: %2</source>
        <translation>在没有已保存凭据的情况下登录 %1：%2</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>Trusting the certificate of %1</source>
        <translation>正在信任 %1 的证书</translation>
    </message>
    <message>
        <source>The credentials were not saved: %1</source>
        <translation>凭据未保存：%1</translation>
    </message>
    <message>
        <source>Added %1</source>
        <translation>已添加 %1</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <source>Remove Registry</source>
        <translation>移除镜像仓库</translation>
    </message>
    <message>
        <source>Remove %1 (%2) from the list?</source>
        <translation>要从列表中移除 %1（%2）吗？</translation>
    </message>
    <message>
        <source>Its saved credentials are deleted too. The registry itself is not changed.</source>
        <translation>其已保存的凭据也会被删除。镜像仓库本身不会改变。</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>移除(&amp;R)</translation>
    </message>
    <message>
        <source>Removed %1</source>
        <translation>已移除 %1</translation>
    </message>
    <message>
        <source>Port in Use</source>
        <translation>端口已被占用</translation>
    </message>
    <message>
        <source>Port %1, where the local server&apos;s admin API listens, is already used by another program.</source>
        <translation>本地服务器的管理 API 所监听的端口 %1 已被其他程序占用。</translation>
    </message>
    <message>
        <source>Port %1 is already used by another program, so the local registry cannot listen there.</source>
        <translation>端口 %1 已被其他程序占用，本地镜像仓库无法在此监听。</translation>
    </message>
    <message>
        <source>Port %1 is free. Use it instead? You can change it later in Settings.</source>
        <translation>端口 %1 空闲。改用它吗？之后可以在“设置”中更改。</translation>
    </message>
    <message>
        <source>&amp;Use Port %1</source>
        <translation>使用端口 %1(&amp;U)</translation>
    </message>
    <message>
        <source>Open &amp;Settings…</source>
        <translation>打开设置(&amp;S)…</translation>
    </message>
    <message>
        <source>Port in use</source>
        <translation>端口已被占用</translation>
    </message>
    <message>
        <source>The new language takes effect when Berth restarts.</source>
        <translation>新语言将在 Berth 重新启动后生效。</translation>
    </message>
    <message>
        <source>Saved; the local server uses the new settings when it starts.</source>
        <translation>已保存；本地服务器将在启动时使用新设置。</translation>
    </message>
    <message>
        <source>Restarting the local server with the new settings</source>
        <translation>正在使用新设置重启本地服务器</translation>
    </message>
    <message>
        <source>About Berth</source>
        <translation>关于 Berth</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Berth %1&lt;/b&gt;&lt;/p&gt;&lt;p&gt;A container image registry with a desktop console: browse repositories and tags, read the server&apos;s logs, and run the bundled berthd.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Berth %1&lt;/b&gt;&lt;/p&gt;&lt;p&gt;带有桌面控制台的容器镜像仓库：浏览仓库和标签、阅读服务器日志，并运行内置的 berthd。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>St&amp;orage</source>
        <translation>存储(&amp;O)</translation>
    </message>
    <message>
        <source>Re&amp;tention</source>
        <translation>保留策略(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Storage</source>
        <translation>存储(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Retention</source>
        <translation>保留策略(&amp;R)</translation>
    </message>
    <message>
        <source>Browse the selected registry, see its storage and retention rules, or read the local server&apos;s logs</source>
        <translation>浏览所选镜像仓库，查看其存储和保留规则，或阅读本地服务器的日志</translation>
    </message>
</context>
<context>
    <name>berth::ui::ManifestDetails</name>
    <message>
        <source>Cannot read %1 of %2: %3</source>
        <translation>无法读取 %2 的 %1：%3</translation>
    </message>
    <message>
        <source>Cannot read the image configuration: %1</source>
        <translation>无法读取镜像配置：%1</translation>
    </message>
    <message>
        <source>This registry does not offer the referrers API.</source>
        <translation>此镜像仓库不提供引用者 API。</translation>
    </message>
    <message>
        <source>Cannot list the referrers: %1</source>
        <translation>无法列出引用者：%1</translation>
    </message>
</context>
<context>
    <name>berth::ui::PageAction</name>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
</context>
<context>
    <name>berth::ui::ReclaimChart</name>
    <message>
        <source>What garbage collection would reclaim</source>
        <translation>垃圾回收可回收的空间</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>In use</source>
        <translation>使用中</translation>
    </message>
    <message>
        <source>Unreferenced</source>
        <translation>未被引用</translation>
    </message>
    <message>
        <source>Unfinished uploads</source>
        <translation>未完成的上传</translation>
    </message>
    <message>
        <source>Garbage collection would free up to %1</source>
        <translation>垃圾回收最多可释放 %1</translation>
    </message>
    <message>
        <source>Nothing for garbage collection to free</source>
        <translation>没有可供垃圾回收释放的空间</translation>
    </message>
    <message>
        <source>%1 on disk: %2 in use, %3 unreferenced, %4 in unfinished uploads. %5.</source>
        <translation>磁盘占用 %1：使用中 %2，未被引用 %3，未完成的上传 %4。%5。</translation>
    </message>
</context>
<context>
    <name>berth::ui::RegistryListModel</name>
    <message>
        <source>Local registry</source>
        <translation>本地镜像仓库</translation>
    </message>
    <message>
        <source>The berthd on this computer: %1 at %2</source>
        <translation>本机上的 berthd：%1，地址 %2</translation>
    </message>
    <message>
        <source>The berthd on this computer: %1</source>
        <translation>本机上的 berthd：%1</translation>
    </message>
    <message>
        <source>Local registry, %1</source>
        <translation>本地镜像仓库，%1</translation>
    </message>
    <message>
        <source>%1 (user %2)</source>
        <translation>%1（用户 %2）</translation>
    </message>
    <message>
        <source>%1 registry at %2</source>
        <translation>位于 %2 的镜像仓库 %1</translation>
    </message>
</context>
<context>
    <name>berth::ui::RegistrySidebar</name>
    <message>
        <source>Registries pane</source>
        <translation>镜像仓库窗格</translation>
    </message>
    <message>
        <source>The registries the console knows, and buttons to manage them</source>
        <translation>控制台已知的镜像仓库，以及管理它们的按钮</translation>
    </message>
    <message>
        <source>Registries</source>
        <translation>镜像仓库</translation>
    </message>
    <message>
        <source>Select a registry to browse it; the local registry comes first</source>
        <translation>选择一个镜像仓库进行浏览；本地镜像仓库排在最前</translation>
    </message>
    <message>
        <source>Add registry</source>
        <translation>添加镜像仓库</translation>
    </message>
    <message>
        <source>Edit registry</source>
        <translation>编辑镜像仓库</translation>
    </message>
    <message>
        <source>Remove registry</source>
        <translation>移除镜像仓库</translation>
    </message>
    <message>
        <source>&amp;Add Registry…</source>
        <translation>添加镜像仓库(&amp;A)…</translation>
    </message>
    <message>
        <source>Add a registry by its URL (Ctrl+N)</source>
        <translation>通过 URL 添加镜像仓库 (Ctrl+N)</translation>
    </message>
    <message>
        <source>&amp;Edit Registry…</source>
        <translation>编辑镜像仓库(&amp;E)…</translation>
    </message>
    <message>
        <source>Change the selected registry&apos;s name, URL or credentials (F2)</source>
        <translation>更改所选镜像仓库的名称、URL 或凭据 (F2)</translation>
    </message>
    <message>
        <source>Re&amp;move Registry</source>
        <translation>移除镜像仓库(&amp;M)</translation>
    </message>
    <message>
        <source>Remove the selected registry from the list, with its saved credentials (Del)</source>
        <translation>从列表中移除所选镜像仓库及其已保存的凭据 (Del)</translation>
    </message>
    <message>
        <source>Reg&amp;istries</source>
        <translation>镜像仓库(&amp;I)</translation>
    </message>
</context>
<context>
    <name>berth::ui::RepositoryModel</name>
    <message>
        <source>Cannot list the repositories: %1</source>
        <translation>无法列出仓库：%1</translation>
    </message>
    <message>
        <source>Repository</source>
        <translation>仓库</translation>
    </message>
</context>
<context>
    <name>berth::ui::RepositoryStorageModel</name>
    <message>
        <source>%1 only in %2: deleting the repository would free it</source>
        <translation>%1 仅属于 %2：删除该仓库即可释放</translation>
    </message>
    <message>
        <source>%1 of layers %2 shares with other repositories</source>
        <translation>%2 与其他仓库共享的层共 %1</translation>
    </message>
    <message>
        <source>Repository</source>
        <translation>仓库</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Unique</source>
        <translation>独占</translation>
    </message>
    <message>
        <source>Shared</source>
        <translation>共享</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Manifests</source>
        <translation>清单</translation>
    </message>
    <message>
        <source>Last push</source>
        <translation>最近推送</translation>
    </message>
</context>
<context>
    <name>berth::ui::RepositoryTreemap</name>
    <message>
        <source>Repository treemap</source>
        <translation>仓库矩形树图</translation>
    </message>
    <message>
        <source>Each repository as a tile sized by its storage. Arrow keys move between tiles; Enter opens the repository in the browser.</source>
        <translation>每个仓库显示为一个按存储大小缩放的方块。方向键在方块间移动；Enter 在浏览器中打开该仓库。</translation>
    </message>
    <message>
        <source>Selected %1. %2</source>
        <translation>已选择 %1。%2</translation>
    </message>
    <message>
        <source>%1
Click to open it in the browser</source>
        <translation>%1
点击在浏览器中打开</translation>
    </message>
    <message>
        <source>No repository stores anything yet.</source>
        <translation>还没有任何仓库存储内容。</translation>
    </message>
    <message>
        <source>%1: %2 (%3 unique, %4 shared)</source>
        <translation>%1：%2（独占 %3，共享 %4）</translation>
    </message>
    <message>
        <source>The images of %1 as tiles sized by their storage. Arrow keys move between tiles; Enter opens the image in the browser; Backspace goes back to all repositories.</source>
        <translation>%1 的各镜像按占用空间显示为方块。方向键在方块间移动；回车在浏览器中打开镜像；退格键返回全部仓库。</translation>
    </message>
    <message>
        <source>Each repository as a tile sized by its storage. Arrow keys move between tiles; Enter shows the repository&apos;s images.</source>
        <translation>每个仓库按占用空间显示为方块。方向键在方块间移动；回车显示该仓库的镜像。</translation>
    </message>
    <message>
        <source>%1
%2
Click to open it in the browser</source>
        <translation>%1
%2
点击在浏览器中打开</translation>
    </message>
    <message>
        <source>%1
Click to see its images</source>
        <translation>%1
点击查看其镜像</translation>
    </message>
    <message>
        <source>No images in %1.</source>
        <translation>%1 中没有镜像。</translation>
    </message>
</context>
<context>
    <name>berth::ui::RetentionPage</name>
    <message>
        <source>not set</source>
        <translation>未设置</translation>
    </message>
    <message>
        <source>every tag</source>
        <translation>所有标签</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Retention</source>
        <translation>保留策略</translation>
    </message>
    <message>
        <source>Rules that delete old tags, a preview of what they delete and why, and running them</source>
        <translation>删除旧标签的规则、它们将删除的内容及原因的预览，以及运行规则</translation>
    </message>
    <message>
        <source>&amp;Add Rule</source>
        <translation>添加规则(&amp;A)</translation>
    </message>
    <message>
        <source>Add a rule after the selected one</source>
        <translation>在所选规则之后添加一条规则</translation>
    </message>
    <message>
        <source>&amp;Remove Rule</source>
        <translation>移除规则(&amp;R)</translation>
    </message>
    <message>
        <source>Remove the selected rule</source>
        <translation>移除所选规则</translation>
    </message>
    <message>
        <source>Move &amp;Up</source>
        <translation>上移(&amp;U)</translation>
    </message>
    <message>
        <source>Move the selected rule up</source>
        <translation>将所选规则上移</translation>
    </message>
    <message>
        <source>Move &amp;Down</source>
        <translation>下移(&amp;D)</translation>
    </message>
    <message>
        <source>Move the selected rule down</source>
        <translation>将所选规则下移</translation>
    </message>
    <message>
        <source>&amp;Save Rules</source>
        <translation>保存规则(&amp;S)</translation>
    </message>
    <message>
        <source>Store the rules on the server, where they apply</source>
        <translation>将规则保存到服务器上，规则在服务器上生效</translation>
    </message>
    <message>
        <source>Re&amp;vert</source>
        <translation>还原(&amp;V)</translation>
    </message>
    <message>
        <source>Drop the changes and load the rules in force again</source>
        <translation>放弃更改并重新加载当前生效的规则</translation>
    </message>
    <message>
        <source>&amp;Preview</source>
        <translation>预览(&amp;P)</translation>
    </message>
    <message>
        <source>Show what the rules as edited would delete now</source>
        <translation>显示编辑后的规则现在会删除哪些内容</translation>
    </message>
    <message>
        <source>&amp;Run Now…</source>
        <translation>立即运行(&amp;R)…</translation>
    </message>
    <message>
        <source>Delete what the rules select, now</source>
        <translation>立即删除规则选中的内容</translation>
    </message>
    <message>
        <source>No retention rules</source>
        <translation>没有保留规则</translation>
    </message>
    <message>
        <source>Rules and preview</source>
        <translation>规则和预览</translation>
    </message>
    <message>
        <source>The rules above the preview of what they delete</source>
        <translation>上方为规则，下方为它们将删除内容的预览</translation>
    </message>
    <message>
        <source>Rules</source>
        <translation>规则</translation>
    </message>
    <message>
        <source>Which tags of which repositories retention deletes</source>
        <translation>保留策略将删除哪些仓库的哪些标签</translation>
    </message>
    <message>
        <source>Where the rules come from</source>
        <translation>规则的来源</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>计划</translation>
    </message>
    <message>
        <source>latest, release-*</source>
        <translation>latest, release-*</translation>
    </message>
    <message>
        <source>Protected tags</source>
        <translation>受保护的标签</translation>
    </message>
    <message>
        <source>Tag patterns, separated by commas, that no rule ever deletes in any repository</source>
        <translation>以逗号分隔的标签模式，任何规则都不会在任何仓库中删除它们</translation>
    </message>
    <message>
        <source>&amp;Never delete tags:</source>
        <translation>永不删除的标签(&amp;N)：</translation>
    </message>
    <message>
        <source>Retention rules</source>
        <translation>保留规则</translation>
    </message>
    <message>
        <source>One rule per row; edit a cell with F2 or by typing. Insert adds a rule, Delete removes it, Ctrl+Up and Ctrl+Down move it</source>
        <translation>每行一条规则；按 F2 或直接输入以编辑单元格。Insert 添加规则，Delete 移除规则，Ctrl+Up 和 Ctrl+Down 移动规则</translation>
    </message>
    <message>
        <source>Rule actions</source>
        <translation>规则操作</translation>
    </message>
    <message>
        <source>Add, remove and order the rules; save or revert them</source>
        <translation>添加、移除和排序规则；保存或还原规则</translation>
    </message>
    <message>
        <source>Revert</source>
        <translation>还原</translation>
    </message>
    <message>
        <source>Save rules</source>
        <translation>保存规则</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <source>What the rules would delete now, and why</source>
        <translation>规则现在会删除什么，以及原因</translation>
    </message>
    <message>
        <source>Show &amp;kept tags too</source>
        <translation>同时显示保留的标签(&amp;K)</translation>
    </message>
    <message>
        <source>Show kept tags</source>
        <translation>显示保留的标签</translation>
    </message>
    <message>
        <source>Also lists the tags the rules keep, and why</source>
        <translation>同时列出规则保留的标签及原因</translation>
    </message>
    <message>
        <source>Preview summary</source>
        <translation>预览摘要</translation>
    </message>
    <message>
        <source>How much the rules would delete</source>
        <translation>规则将删除多少内容</translation>
    </message>
    <message>
        <source>Run now</source>
        <translation>立即运行</translation>
    </message>
    <message>
        <source>Retention preview</source>
        <translation>保留策略预览</translation>
    </message>
    <message>
        <source>What each rule would delete and why; Enter opens the repository in the browser</source>
        <translation>每条规则将删除什么及原因；Enter 在浏览器中打开仓库</translation>
    </message>
    <message>
        <source>Retention run progress</source>
        <translation>保留策略运行进度</translation>
    </message>
    <message>
        <source>How far the server is in the run</source>
        <translation>服务器的运行进度</translation>
    </message>
    <message>
        <source>Retention run summary</source>
        <translation>保留策略运行摘要</translation>
    </message>
    <message>
        <source>What the last run removed</source>
        <translation>上次运行移除的内容</translation>
    </message>
    <message>
        <source>&amp;Stop Run</source>
        <translation>停止运行(&amp;S)</translation>
    </message>
    <message>
        <source>Stop run</source>
        <translation>停止运行</translation>
    </message>
    <message>
        <source>Stops the retention run at its next item</source>
        <translation>在下一个项目处停止保留策略的运行</translation>
    </message>
    <message>
        <source>Cannot stop the retention run: %1</source>
        <translation>无法停止保留策略的运行：%1</translation>
    </message>
    <message>
        <source>Cannot read the retention rules: %1</source>
        <translation>无法读取保留规则：%1</translation>
    </message>
    <message>
        <source>These rules are stored on the server and apply to every run.</source>
        <translation>这些规则保存在服务器上，适用于每次运行。</translation>
    </message>
    <message>
        <source>These rules come from the server&apos;s config.yml (berth.retention). Saving stores them on the server, where they take precedence.</source>
        <translation>这些规则来自服务器的 config.yml（berth.retention）。保存后它们会存储在服务器上并优先生效。</translation>
    </message>
    <message>
        <source>No retention rules yet: add a rule, preview what it would delete, then save it.</source>
        <translation>还没有保留规则：添加一条规则，预览它将删除的内容，然后保存。</translation>
    </message>
    <message>
        <source>Asking the server what the rules would delete…</source>
        <translation>正在向服务器询问规则将删除的内容…</translation>
    </message>
    <message>
        <source>Cannot preview the rules: %1</source>
        <translation>无法预览规则：%1</translation>
    </message>
    <message>
        <source>The rules were not saved: %1</source>
        <translation>规则未保存：%1</translation>
    </message>
    <message>
        <source>Saved the retention rules</source>
        <translation>已保存保留规则</translation>
    </message>
    <message>
        <source>Run Retention Rules</source>
        <translation>运行保留规则</translation>
    </message>
    <message>
        <source>Save the rules as edited and run them now?</source>
        <translation>保存编辑后的规则并立即运行吗？</translation>
    </message>
    <message>
        <source>Run the saved retention rules now?</source>
        <translation>立即运行已保存的保留规则吗？</translation>
    </message>
    <message>
        <source>The tags and manifests they select are deleted from the registry; this cannot be undone. The preview shows what they select.</source>
        <translation>规则选中的标签和清单将从镜像仓库中删除；此操作无法撤销。预览中显示了它们选中的内容。</translation>
    </message>
    <message>
        <source>Save and &amp;Run</source>
        <translation>保存并运行(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>运行(&amp;R)</translation>
    </message>
    <message>
        <source>Run retention rules</source>
        <translation>运行保留规则</translation>
    </message>
    <message>
        <source>The rules were not saved, so they did not run: %1</source>
        <translation>规则未保存，因此没有运行：%1</translation>
    </message>
    <message>
        <source>Starting the retention run…</source>
        <translation>正在开始运行保留策略…</translation>
    </message>
    <message>
        <source>Cannot run the retention rules: %1</source>
        <translation>无法运行保留规则：%1</translation>
    </message>
    <message>
        <source>Deleting what the rules select…</source>
        <translation>正在删除规则选中的内容…</translation>
    </message>
    <message>
        <source>Reading the tags…</source>
        <translation>正在读取标签…</translation>
    </message>
    <message>
        <source>The retention run failed: %1</source>
        <translation>保留策略运行失败：%1</translation>
    </message>
    <message>
        <source>%1 d</source>
        <translation>%1 天</translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation>%1 小时</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 分钟</translation>
    </message>
    <message>
        <source>No retention rules for this registry.

They are part of the admin API of berthd, which the console reaches for its own local registry while it runs.</source>
        <translation>此镜像仓库没有保留规则。

保留规则属于 berthd 的管理 API，控制台在自己的本地镜像仓库运行时可以访问它。</translation>
    </message>
    <message>
        <source>The rules would delete nothing now. Kept: %1.</source>
        <translation>规则现在不会删除任何内容。保留：%1。</translation>
    </message>
    <message>
        <source>To delete: tags %1, untagged manifests %2, in repositories: %3. Kept: %4.</source>
        <translation>将删除：标签 %1 个，无标签的清单 %2 个，涉及仓库 %3 个。保留：%4。</translation>
    </message>
    <message>
        <source>Removed tags: %1, untagged manifests: %2.</source>
        <translation>已移除标签：%1，无标签的清单：%2。</translation>
    </message>
    <message>
        <source>Skipped because they changed after the plan was made: %1.</source>
        <translation>因在计划生成后发生变化而跳过：%1。</translation>
    </message>
    <message>
        <source>Stopped. %1</source>
        <translation>已停止。%1</translation>
    </message>
    <message>
        <source>Run by &amp;itself:</source>
        <translation>自动运行(&amp;I)：</translation>
    </message>
    <message>
        <source>every</source>
        <translation>每</translation>
    </message>
    <message>
        <source>Run on a schedule</source>
        <translation>按计划运行</translation>
    </message>
    <message>
        <source>Whether the server runs the saved rules by itself, every so many hours or days</source>
        <translation>服务器是否每隔若干小时或天自动运行已保存的规则</translation>
    </message>
    <message>
        <source>Schedule interval</source>
        <translation>计划间隔</translation>
    </message>
    <message>
        <source>How many hours or days between runs</source>
        <translation>两次运行之间相隔的小时数或天数</translation>
    </message>
    <message>
        <source>hours</source>
        <translation>小时</translation>
    </message>
    <message>
        <source>days</source>
        <translation>天</translation>
    </message>
    <message>
        <source>Schedule unit</source>
        <translation>计划单位</translation>
    </message>
    <message>
        <source>Hours or days</source>
        <translation>小时或天</translation>
    </message>
    <message>
        <source>When the server runs the rules next</source>
        <translation>服务器下次运行规则的时间</translation>
    </message>
    <message>
        <source>Preview progress</source>
        <translation>预览进度</translation>
    </message>
    <message>
        <source>How many repositories the server has read</source>
        <translation>服务器已读取的仓库数量</translation>
    </message>
    <message>
        <source>Stop Previe&amp;w</source>
        <translation>停止预览(&amp;W)</translation>
    </message>
    <message>
        <source>Stop preview</source>
        <translation>停止预览</translation>
    </message>
    <message>
        <source>Stops working out the preview</source>
        <translation>停止计算预览</translation>
    </message>
    <message>
        <source>This server does not say whether it runs the rules by itself.</source>
        <translation>此服务器未说明是否会自动运行规则。</translation>
    </message>
    <message>
        <source>Save to apply the new schedule.</source>
        <translation>保存后新计划生效。</translation>
    </message>
    <message>
        <source>Off: the rules run only when you run them.</source>
        <translation>关闭：规则仅在您手动运行时执行。</translation>
    </message>
    <message>
        <source>Every %1; next run %2.</source>
        <translation>每 %1；下次运行 %2。</translation>
    </message>
    <message>
        <source>Every %1.</source>
        <translation>每 %1。</translation>
    </message>
    <message>
        <source>Set in config.yml (berth.retention.schedule); saving a change here takes precedence.</source>
        <translation>在 config.yml 中设置（berth.retention.schedule）；在此保存的更改优先。</translation>
    </message>
    <message>
        <source>Cannot stop the preview: %1</source>
        <translation>无法停止预览：%1</translation>
    </message>
    <message>
        <source>Reading the tags of %1 of %2 repositories…</source>
        <translation>正在读取标签：第 %1 个仓库，共 %2 个…</translation>
    </message>
    <message>
        <source>Preview stopped.</source>
        <translation>预览已停止。</translation>
    </message>
    <message>
        <source>Unsaved changes: preview what they would delete, then Save to store them on the server. Until then every run applies the rules in force.</source>
        <translation>有未保存的更改：先预览它们将删除的内容，再点“保存”把它们存到服务器上。在此之前，每次运行都使用现行的规则。</translation>
    </message>
</context>
<context>
    <name>berth::ui::RetentionPreviewModel</name>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Keep</source>
        <translation>保留</translation>
    </message>
    <message>
        <source>(untagged manifest)</source>
        <translation>（无标签的清单）</translation>
    </message>
    <message>
        <source>Rule %1</source>
        <translation>规则 %1</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Repository</source>
        <translation>仓库</translation>
    </message>
    <message>
        <source>Tag</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Digest</source>
        <translation>摘要</translation>
    </message>
    <message>
        <source>Pushed</source>
        <translation>推送时间</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>原因</translation>
    </message>
</context>
<context>
    <name>berth::ui::RetentionRulesModel</name>
    <message>
        <source>The repositories the rule applies to, as a glob: * within one path segment, ** across them (team/** is every repository under team/)</source>
        <translation>规则适用的仓库，使用通配符表示：* 匹配一个路径段内，** 可跨越多个路径段（team/** 表示 team/ 下的所有仓库）</translation>
    </message>
    <message>
        <source>A regular expression: the rule counts only tags it matches (part of the name; anchor with ^ and $). Empty: every tag</source>
        <translation>正则表达式：规则只计入与之匹配的标签（匹配名称的一部分；用 ^ 和 $ 锚定）。留空：所有标签</translation>
    </message>
    <message>
        <source>A regular expression: tags it matches are left alone. Empty: none</source>
        <translation>正则表达式：与之匹配的标签不受影响。留空：无</translation>
    </message>
    <message>
        <source>Keep this many of the most recently pushed tags</source>
        <translation>保留最近推送的这么多个标签</translation>
    </message>
    <message>
        <source>Keep this many tags with the highest semantic versions</source>
        <translation>保留语义版本最高的这么多个标签</translation>
    </message>
    <message>
        <source>Keep tags pushed within this many days</source>
        <translation>保留在这么多天内推送的标签</translation>
    </message>
    <message>
        <source>Delete manifests no tag points to once they are this many days old</source>
        <translation>删除没有标签指向且已存在这么多天的清单</translation>
    </message>
    <message>
        <source>Rule %1</source>
        <translation>规则 %1</translation>
    </message>
    <message>
        <source>Repositories</source>
        <translation>仓库</translation>
    </message>
    <message>
        <source>Tags matching</source>
        <translation>匹配的标签</translation>
    </message>
    <message>
        <source>Except</source>
        <translation>排除</translation>
    </message>
    <message>
        <source>Keep newest</source>
        <translation>保留最新</translation>
    </message>
    <message>
        <source>Keep highest versions</source>
        <translation>保留最高版本</translation>
    </message>
    <message>
        <source>Keep days</source>
        <translation>保留天数</translation>
    </message>
    <message>
        <source>Untagged after days</source>
        <translation>无标签天数</translation>
    </message>
</context>
<context>
    <name>berth::ui::ServerStatusWidget</name>
    <message>
        <source>&amp;Start Server</source>
        <translation>启动服务器(&amp;S)</translation>
    </message>
    <message>
        <source>S&amp;top Server</source>
        <translation>停止服务器(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Restart Server</source>
        <translation>重启服务器(&amp;R)</translation>
    </message>
    <message>
        <source>Local server pane</source>
        <translation>本地服务器窗格</translation>
    </message>
    <message>
        <source>The state of the registry server on this computer</source>
        <translation>本机镜像仓库服务器的状态</translation>
    </message>
    <message>
        <source>Local server</source>
        <translation>本地服务器</translation>
    </message>
    <message>
        <source>Server state icon</source>
        <translation>服务器状态图标</translation>
    </message>
    <message>
        <source>Green when running, red when failed</source>
        <translation>运行时为绿色，失败时为红色</translation>
    </message>
    <message>
        <source>Server state</source>
        <translation>服务器状态</translation>
    </message>
    <message>
        <source>Whether the local registry server runs, and where</source>
        <translation>本地镜像仓库服务器是否在运行，以及运行地址</translation>
    </message>
    <message>
        <source>Failure reason</source>
        <translation>失败原因</translation>
    </message>
    <message>
        <source>Why the local registry server stopped</source>
        <translation>本地镜像仓库服务器停止的原因</translation>
    </message>
    <message>
        <source>Last server lines</source>
        <translation>服务器最后输出的日志</translation>
    </message>
    <message>
        <source>The last lines the server wrote before it stopped</source>
        <translation>服务器停止前输出的最后几行</translation>
    </message>
    <message>
        <source>Start the local registry server</source>
        <translation>启动本地镜像仓库服务器</translation>
    </message>
    <message>
        <source>Stop the local registry server</source>
        <translation>停止本地镜像仓库服务器</translation>
    </message>
    <message>
        <source>Stop the local registry server and start it again</source>
        <translation>停止本地镜像仓库服务器并重新启动</translation>
    </message>
    <message>
        <source>Start server</source>
        <translation>启动服务器</translation>
    </message>
    <message>
        <source>Stop server</source>
        <translation>停止服务器</translation>
    </message>
    <message>
        <source>Restart server</source>
        <translation>重启服务器</translation>
    </message>
    <message>
        <source>Running at %1</source>
        <translation>运行于 %1</translation>
    </message>
    <message>
        <source>Crashed; restarting shortly</source>
        <translation>已崩溃；即将重启</translation>
    </message>
</context>
<context>
    <name>berth::ui::SettingsDialog</name>
    <message>
        <source>Any free port</source>
        <translation>任意空闲端口</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>The console&apos;s language and the local server&apos;s settings</source>
        <translation>控制台的语言和本地服务器的设置</translation>
    </message>
    <message>
        <source>Settings problem</source>
        <translation>设置问题</translation>
    </message>
    <message>
        <source>Why the settings cannot be saved yet</source>
        <translation>设置暂时无法保存的原因</translation>
    </message>
    <message>
        <source>Dialog buttons</source>
        <translation>对话框按钮</translation>
    </message>
    <message>
        <source>Save or cancel</source>
        <translation>保存或取消</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>确定</translation>
    </message>
    <message>
        <source>Save the settings</source>
        <translation>保存设置</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Keep the settings as they were</source>
        <translation>保持原有设置</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>The language of the console</source>
        <translation>控制台的语言</translation>
    </message>
    <message>
        <source>System default (%1)</source>
        <translation>系统默认（%1）</translation>
    </message>
    <message>
        <source>The language of the console&apos;s windows</source>
        <translation>控制台窗口使用的语言</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>语言(&amp;L)：</translation>
    </message>
    <message>
        <source>A new language takes effect when Berth restarts.</source>
        <translation>新语言将在 Berth 重新启动后生效。</translation>
    </message>
    <message>
        <source>Local server</source>
        <translation>本地服务器</translation>
    </message>
    <message>
        <source>How the registry server on this computer runs</source>
        <translation>本机镜像仓库服务器的运行方式</translation>
    </message>
    <message>
        <source>Listen address</source>
        <translation>监听地址</translation>
    </message>
    <message>
        <source>127.0.0.1 keeps the registry on this computer; 0.0.0.0 offers it to the network</source>
        <translation>127.0.0.1 使镜像仓库仅在本机可用；0.0.0.0 使其对网络开放</translation>
    </message>
    <message>
        <source>Registry port</source>
        <translation>镜像仓库端口</translation>
    </message>
    <message>
        <source>The TCP port clients push to and pull from</source>
        <translation>客户端推送和拉取所用的 TCP 端口</translation>
    </message>
    <message>
        <source>Admin port</source>
        <translation>管理端口</translation>
    </message>
    <message>
        <source>The TCP port of the admin API the console uses, on 127.0.0.1</source>
        <translation>控制台使用的管理 API 的 TCP 端口，位于 127.0.0.1</translation>
    </message>
    <message>
        <source>Storage folder</source>
        <translation>存储文件夹</translation>
    </message>
    <message>
        <source>Where the registry keeps images; empty for %1</source>
        <translation>镜像仓库存放镜像的位置；留空则为 %1</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>浏览(&amp;B)…</translation>
    </message>
    <message>
        <source>Choose storage folder</source>
        <translation>选择存储文件夹</translation>
    </message>
    <message>
        <source>Pick the storage folder in a file dialog</source>
        <translation>在文件对话框中选择存储文件夹</translation>
    </message>
    <message>
        <source>Listen &amp;address:</source>
        <translation>监听地址(&amp;A)：</translation>
    </message>
    <message>
        <source>Registry &amp;port:</source>
        <translation>镜像仓库端口(&amp;P)：</translation>
    </message>
    <message>
        <source>A&amp;dmin port:</source>
        <translation>管理端口(&amp;D)：</translation>
    </message>
    <message>
        <source>&amp;Storage folder:</source>
        <translation>存储文件夹(&amp;S)：</translation>
    </message>
    <message>
        <source>Changes restart the local server. A listen address other than 127.0.0.1 offers the registry to other computers, without TLS or sign-in.</source>
        <translation>更改会重启本地服务器。监听地址不是 127.0.0.1 时，其他计算机也能访问该镜像仓库，且没有 TLS 或登录保护。</translation>
    </message>
    <message>
        <source>Storage Folder</source>
        <translation>存储文件夹</translation>
    </message>
    <message>
        <source>The listen address must be an IP address such as 127.0.0.1 or 0.0.0.0.</source>
        <translation>监听地址必须是 IP 地址，例如 127.0.0.1 或 0.0.0.0。</translation>
    </message>
    <message>
        <source>The registry and the admin API need different ports.</source>
        <translation>镜像仓库和管理 API 需要使用不同的端口。</translation>
    </message>
</context>
<context>
    <name>berth::ui::SharedBytesChart</name>
    <message>
        <source>bytes</source>
        <translation>字节</translation>
    </message>
    <message>
        <source>KiB</source>
        <translation>KiB</translation>
    </message>
    <message>
        <source>MiB</source>
        <translation>MiB</translation>
    </message>
    <message>
        <source>GiB</source>
        <translation>GiB</translation>
    </message>
    <message>
        <source>TiB</source>
        <translation>TiB</translation>
    </message>
    <message>
        <source>Unique and shared bytes by repository</source>
        <translation>各仓库的独占与共享字节数</translation>
    </message>
    <message>
        <source>Unique</source>
        <translation>独占</translation>
    </message>
    <message>
        <source>Shared with others</source>
        <translation>与其他仓库共享</translation>
    </message>
    <message>
        <source>%1: %2 unique, %3 shared</source>
        <translation>%1：独占 %2，共享 %3</translation>
    </message>
    <message>
        <source>Unique and shared bytes, largest repositories</source>
        <translation>独占与共享字节数（最大的仓库）</translation>
    </message>
    <message>
        <source>No repositories yet</source>
        <translation>还没有仓库</translation>
    </message>
    <message>
        <source>Click a bar to open its repository. %1</source>
        <translation>点击条形以打开其仓库。%1</translation>
    </message>
    <message>
        <source>%1
Click to open it in the browser</source>
        <translation>%1
点击在浏览器中打开</translation>
    </message>
</context>
<context>
    <name>berth::ui::ShortcutsDialog</name>
    <message>
        <source>Keyboard Shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>Every keyboard shortcut of the console</source>
        <translation>控制台的所有键盘快捷键</translation>
    </message>
    <message>
        <source>Command</source>
        <translation>命令</translation>
    </message>
    <message>
        <source>Shortcut</source>
        <translation>快捷键</translation>
    </message>
    <message>
        <source>Shortcuts</source>
        <translation>快捷键</translation>
    </message>
    <message>
        <source>Commands and their keys, menu by menu</source>
        <translation>按菜单列出的命令及其按键</translation>
    </message>
    <message>
        <source>Dialog buttons</source>
        <translation>对话框按钮</translation>
    </message>
    <message>
        <source>Close the list</source>
        <translation>关闭列表</translation>
    </message>
</context>
<context>
    <name>berth::ui::StorageGrowthChart</name>
    <message>
        <source>Storage growth</source>
        <translation>存储增长</translation>
    </message>
    <message>
        <source>Storage over time</source>
        <translation>存储随时间的变化</translation>
    </message>
    <message>
        <source>Not enough history yet: the server records the storage every %1 minutes.</source>
        <translation>历史数据还不够：服务器每 %1 分钟记录一次存储情况。</translation>
    </message>
    <message>
        <source>The server keeps no storage history (berth.storage.historyinterval is 0).</source>
        <translation>服务器不保留存储历史（berth.storage.historyinterval 为 0）。</translation>
    </message>
    <message>
        <source>On disk</source>
        <translation>磁盘占用</translation>
    </message>
    <message>
        <source>%1 samples from %2 to %3; %4 on disk now, %5 at the start.</source>
        <translation>从 %2 到 %3 共 %1 个采样；当前磁盘占用 %4，开始时为 %5。</translation>
    </message>
</context>
<context>
    <name>berth::ui::StorageHistoryModel</name>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>On disk</source>
        <translation>磁盘占用</translation>
    </message>
    <message>
        <source>Unreferenced</source>
        <translation>未被引用</translation>
    </message>
    <message>
        <source>Repositories</source>
        <translation>仓库</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
</context>
<context>
    <name>berth::ui::StoragePage</name>
    <message>
        <source>Storage</source>
        <translation>存储</translation>
    </message>
    <message>
        <source>Where the registry&apos;s storage goes, how it grew, and what garbage collection would free</source>
        <translation>镜像仓库的存储用在了哪里、如何增长，以及垃圾回收可释放多少</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>Read the storage statistics again</source>
        <translation>重新读取存储统计</translation>
    </message>
    <message>
        <source>&amp;Collect Garbage…</source>
        <translation>垃圾回收(&amp;C)…</translation>
    </message>
    <message>
        <source>See what garbage collection would delete, then collect it</source>
        <translation>查看垃圾回收将删除的内容，然后执行回收</translation>
    </message>
    <message>
        <source>Collect &amp;Garbage…</source>
        <translation>垃圾回收(&amp;G)…</translation>
    </message>
    <message>
        <source>No storage statistics</source>
        <translation>没有存储统计</translation>
    </message>
    <message>
        <source>Storage actions</source>
        <translation>存储操作</translation>
    </message>
    <message>
        <source>Refresh the statistics or collect garbage</source>
        <translation>刷新统计或进行垃圾回收</translation>
    </message>
    <message>
        <source>Disk space warning</source>
        <translation>磁盘空间警告</translation>
    </message>
    <message>
        <source>Storage summary</source>
        <translation>存储摘要</translation>
    </message>
    <message>
        <source>Bytes on disk, blobs, repositories, tags and free space</source>
        <translation>磁盘占用字节、blob、仓库、标签和可用空间</translation>
    </message>
    <message>
        <source>Counting progress</source>
        <translation>统计进度</translation>
    </message>
    <message>
        <source>How far the server is in counting its storage</source>
        <translation>服务器统计存储的进度</translation>
    </message>
    <message>
        <source>Charts and repositories</source>
        <translation>图表和仓库</translation>
    </message>
    <message>
        <source>The charts above the table of repositories</source>
        <translation>上方为图表，下方为仓库表格</translation>
    </message>
    <message>
        <source>Storage charts</source>
        <translation>存储图表</translation>
    </message>
    <message>
        <source>Repositories by size</source>
        <translation>按大小排列的仓库</translation>
    </message>
    <message>
        <source>Every repository with its size, unique and shared bytes; Enter opens it in the browser</source>
        <translation>每个仓库的大小、独占和共享字节数；Enter 在浏览器中打开</translation>
    </message>
    <message>
        <source>Counting the storage: %v of %m items</source>
        <translation>正在统计存储：%v / %m 项</translation>
    </message>
    <message>
        <source>The server is still counting its storage; the figures follow when it is done.</source>
        <translation>服务器仍在统计存储；统计完成后将显示数据。</translation>
    </message>
    <message>
        <source>%1 on disk in %2 blobs</source>
        <translation>%2 个 blob 共占用磁盘 %1</translation>
    </message>
    <message>
        <source>%1 repositories, %2 tags</source>
        <translation>%1 个仓库，%2 个标签</translation>
    </message>
    <message>
        <source>%1 unreferenced</source>
        <translation>未被引用 %1</translation>
    </message>
    <message>
        <source>%1 in %2 unfinished uploads</source>
        <translation>%2 个未完成的上传共 %1</translation>
    </message>
    <message>
        <source>%1 free of %2 on the disk</source>
        <translation>磁盘共 %2，可用 %1</translation>
    </message>
    <message>
        <source>Uploads are paused: the storage disk has only %1 free, and the server keeps at least %2 free. Pushes fail until space is freed: delete images, then collect garbage.</source>
        <translation>上传已暂停：存储磁盘仅剩 %1 可用，而服务器至少保留 %2 可用空间。在释放空间之前推送都会失败：请删除镜像，然后进行垃圾回收。</translation>
    </message>
    <message>
        <source>Cannot read the storage statistics: %1</source>
        <translation>无法读取存储统计：%1</translation>
    </message>
    <message>
        <source>No storage statistics for this registry.

They come from the admin API of berthd, which the console reaches for its own local registry while it runs.</source>
        <translation>此镜像仓库没有存储统计。

存储统计来自 berthd 的管理 API，控制台在自己的本地镜像仓库运行时可以访问它。</translation>
    </message>
    <message>
        <source>A treemap of repositories and five charts</source>
        <translation>仓库矩形树图和五个图表</translation>
    </message>
    <message>
        <source>All Repositories</source>
        <translation>全部仓库</translation>
    </message>
    <message>
        <source>Back to all repositories</source>
        <translation>返回全部仓库</translation>
    </message>
    <message>
        <source>Back to all repositories (Backspace)</source>
        <translation>返回全部仓库（退格键）</translation>
    </message>
    <message>
        <source>Treemap level</source>
        <translation>树图层级</translation>
    </message>
    <message>
        <source>What the treemap shows</source>
        <translation>树图当前显示的内容</translation>
    </message>
    <message>
        <source>Open in Browser</source>
        <translation>在浏览器中打开</translation>
    </message>
    <message>
        <source>Open the repository in the browser</source>
        <translation>在浏览器中打开该仓库</translation>
    </message>
    <message>
        <source>Open %1 in the browser</source>
        <translation>在浏览器中打开 %1</translation>
    </message>
    <message>
        <source>Repositories: click one to see its images</source>
        <translation>仓库：点击一个查看其镜像</translation>
    </message>
    <message>
        <source>Repositories: click one to open it</source>
        <translation>仓库：点击一个将其打开</translation>
    </message>
    <message>
        <source>%1: 1 image</source>
        <translation>%1：1 个镜像</translation>
    </message>
    <message>
        <source>%1: %2 images</source>
        <translation>%1：%2 个镜像</translation>
    </message>
    <message>
        <source>Reading the images of %1…</source>
        <translation>正在读取 %1 的镜像…</translation>
    </message>
    <message>
        <source>Cannot read the images of %1: %2</source>
        <translation>无法读取 %1 的镜像：%2</translation>
    </message>
    <message>
        <source>The server is still counting its storage; the images follow when it is done.</source>
        <translation>服务器仍在统计存储；统计完成后将显示镜像。</translation>
    </message>
</context>
<context>
    <name>berth::ui::TagDetailsView</name>
    <message>
        <source>Tag details</source>
        <translation>标签详细信息</translation>
    </message>
    <message>
        <source>The layers, platforms, configuration, manifest and referrers of the selected tag</source>
        <translation>所选标签的层、平台、配置、清单和引用者</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <source>Back to the index (%1)</source>
        <translation>返回索引（%1）</translation>
    </message>
    <message>
        <source>Returns from a platform&apos;s image to the index it belongs to</source>
        <translation>从某个平台的镜像返回其所属的索引</translation>
    </message>
    <message>
        <source>Shown manifest</source>
        <translation>当前显示的清单</translation>
    </message>
    <message>
        <source>Digest:</source>
        <translation>摘要：</translation>
    </message>
    <message>
        <source>Digest</source>
        <translation>摘要</translation>
    </message>
    <message>
        <source>Type:</source>
        <translation>类型：</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Size:</source>
        <translation>大小：</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Created:</source>
        <translation>创建时间：</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <source>Platforms:</source>
        <translation>平台：</translation>
    </message>
    <message>
        <source>Platforms</source>
        <translation>平台</translation>
    </message>
    <message>
        <source>Layers</source>
        <translation>层</translation>
    </message>
    <message>
        <source>The layers of the image: digest, media type and size</source>
        <translation>镜像的层：摘要、媒体类型和大小</translation>
    </message>
    <message>
        <source>The images of the index, one per platform; press Enter to open one</source>
        <translation>索引中的镜像，每个平台一个；按 Enter 打开</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <source>The commands that built the image, oldest first</source>
        <translation>构建镜像的命令，最早的在前</translation>
    </message>
    <message>
        <source>Configuration</source>
        <translation>配置</translation>
    </message>
    <message>
        <source>The image configuration as JSON</source>
        <translation>JSON 格式的镜像配置</translation>
    </message>
    <message>
        <source>History and configuration</source>
        <translation>历史和配置</translation>
    </message>
    <message>
        <source>Manifest</source>
        <translation>清单</translation>
    </message>
    <message>
        <source>The manifest as the registry stores it, indented</source>
        <translation>镜像仓库所存储的清单（已缩进）</translation>
    </message>
    <message>
        <source>Referrers</source>
        <translation>引用者</translation>
    </message>
    <message>
        <source>Referrers status</source>
        <translation>引用者状态</translation>
    </message>
    <message>
        <source>Signatures, SBOMs and other artifacts that refer to this manifest</source>
        <translation>引用此清单的签名、SBOM 和其他制品</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详细信息</translation>
    </message>
    <message>
        <source>Layers or platforms, configuration, manifest and referrers</source>
        <translation>层或平台、配置、清单和引用者</translation>
    </message>
    <message>
        <source>Detail tabs</source>
        <translation>详细信息标签页</translation>
    </message>
    <message>
        <source>Config</source>
        <translation>配置</translation>
    </message>
    <message>
        <source>Select a tag to see its details.</source>
        <translation>选择一个标签以查看其详细信息。</translation>
    </message>
    <message>
        <source>%1 (loading…)</source>
        <translation>%1（加载中…）</translation>
    </message>
    <message>
        <source>Layers (%1)</source>
        <translation>层（%1）</translation>
    </message>
    <message>
        <source>Platforms (%1)</source>
        <translation>平台（%1）</translation>
    </message>
    <message>
        <source>Referrers (%1)</source>
        <translation>引用者（%1）</translation>
    </message>
    <message>
        <source>Loading the referrers…</source>
        <translation>正在加载引用者…</translation>
    </message>
    <message>
        <source>No signatures, SBOMs or other artifacts refer to this manifest.</source>
        <translation>没有签名、SBOM 或其他制品引用此清单。</translation>
    </message>
    <message>
        <source>The repository and tag or digest shown below</source>
        <translation>下方显示的仓库和标签或摘要</translation>
    </message>
    <message>
        <source>The digest of the manifest</source>
        <translation>清单的摘要</translation>
    </message>
    <message>
        <source>What kind of manifest this is</source>
        <translation>这是哪种清单</translation>
    </message>
    <message>
        <source>The size of the configuration and the layers</source>
        <translation>配置和层的大小</translation>
    </message>
    <message>
        <source>When the image was built</source>
        <translation>镜像的构建时间</translation>
    </message>
    <message>
        <source>The platforms the index has images for</source>
        <translation>索引中包含镜像的平台</translation>
    </message>
    <message>
        <source>The build history above the configuration it comes from</source>
        <translation>上方为构建历史，下方为其来源配置</translation>
    </message>
    <message>
        <source>What refers to this manifest</source>
        <translation>引用此清单的内容</translation>
    </message>
    <message>
        <source>Whether the registry lists referrers, and whether there are any</source>
        <translation>镜像仓库是否列出引用者，以及是否存在引用者</translation>
    </message>
    <message>
        <source>Choose which details to see</source>
        <translation>选择要查看的详细信息</translation>
    </message>
</context>
<context>
    <name>berth::ui::TagModel</name>
    <message>
        <source>Cannot list the tags of %1: %2</source>
        <translation>无法列出 %1 的标签：%2</translation>
    </message>
    <message>
        <source>unavailable</source>
        <translation>不可用</translation>
    </message>
    <message>
        <source>loading…</source>
        <translation>加载中…</translation>
    </message>
    <message>
        <source>Tag</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Digest</source>
        <translation>摘要</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Platforms</source>
        <translation>平台</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <source>Also tagged</source>
        <translation>其他标签</translation>
    </message>
    <message>
        <source>and %1 more</source>
        <translation>还有 %1 个</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>The Berth console: browse container image registries and run a local berthd.</source>
        <translation>Berth 控制台：浏览容器镜像仓库并运行本地 berthd。</translation>
    </message>
</context>
</TS>

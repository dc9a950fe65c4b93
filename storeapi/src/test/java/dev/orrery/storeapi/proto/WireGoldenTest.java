package dev.orrery.storeapi.proto;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import dev.orrery.storeapi.proto.exemplars.Exemplar;
import dev.orrery.storeapi.proto.exemplars.ExemplarData;
import dev.orrery.storeapi.proto.exemplars.ExemplarsGrpc;
import dev.orrery.storeapi.proto.exemplars.ExemplarsRequest;
import dev.orrery.storeapi.proto.exemplars.ExemplarsResponse;
import dev.orrery.storeapi.proto.hints.Block;
import dev.orrery.storeapi.proto.hints.SeriesResponseHints;
import dev.orrery.storeapi.proto.info.ExemplarsInfo;
import dev.orrery.storeapi.proto.info.InfoGrpc;
import dev.orrery.storeapi.proto.info.InfoResponse;
import dev.orrery.storeapi.proto.info.MetricMetadataInfo;
import dev.orrery.storeapi.proto.info.RulesInfo;
import dev.orrery.storeapi.proto.info.StatusInfo;
import dev.orrery.storeapi.proto.info.StoreInfo;
import dev.orrery.storeapi.proto.info.TSDBInfo;
import dev.orrery.storeapi.proto.info.TargetsInfo;
import dev.orrery.storeapi.proto.metadata.Meta;
import dev.orrery.storeapi.proto.metadata.MetadataGrpc;
import dev.orrery.storeapi.proto.metadata.MetricMetadata;
import dev.orrery.storeapi.proto.metadata.MetricMetadataEntry;
import dev.orrery.storeapi.proto.metadata.MetricMetadataRequest;
import dev.orrery.storeapi.proto.metadata.MetricMetadataResponse;
import dev.orrery.storeapi.proto.prompb.ChunkedReadResponse;
import dev.orrery.storeapi.proto.prompb.ChunkedSeries;
import dev.orrery.storeapi.proto.prompb.Query;
import dev.orrery.storeapi.proto.prompb.ReadRequest;
import dev.orrery.storeapi.proto.rules.RecordingRule;
import dev.orrery.storeapi.proto.rules.Rule;
import dev.orrery.storeapi.proto.rules.RuleGroup;
import dev.orrery.storeapi.proto.rules.RulesGrpc;
import dev.orrery.storeapi.proto.rules.RulesRequest;
import dev.orrery.storeapi.proto.rules.RulesResponse;
import dev.orrery.storeapi.proto.targets.ActiveTarget;
import dev.orrery.storeapi.proto.targets.TargetDiscovery;
import dev.orrery.storeapi.proto.targets.TargetHealth;
import dev.orrery.storeapi.proto.targets.TargetsGrpc;
import dev.orrery.storeapi.proto.targets.TargetsRequest;
import dev.orrery.storeapi.proto.targets.TargetsResponse;
import dev.orrery.storeapi.proto.thanos.Aggr;
import dev.orrery.storeapi.proto.thanos.AggrChunk;
import dev.orrery.storeapi.proto.thanos.Chunk;
import dev.orrery.storeapi.proto.thanos.Label;
import dev.orrery.storeapi.proto.thanos.LabelMatcher;
import dev.orrery.storeapi.proto.thanos.LabelSet;
import dev.orrery.storeapi.proto.thanos.PartialResponseStrategy;
import dev.orrery.storeapi.proto.thanos.Series;
import dev.orrery.storeapi.proto.thanos.SeriesRequest;
import dev.orrery.storeapi.proto.thanos.SeriesResponse;
import dev.orrery.storeapi.proto.thanos.StoreGrpc;
import dev.orrery.storeapi.proto.thanos.ZLabelSet;
import io.grpc.MethodDescriptor.MethodType;
import java.util.HexFormat;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/** Golden bytes of FORMATS.md 8.6 and 10.4: every StoreAPI message encodes and decodes exactly as Thanos' does. */
class WireGoldenTest {
  private static final HexFormat HEX = HexFormat.of();
  /** The shared 23-byte XOR chunk: (1700000000000, 1), (1700000015000, 2), (1700000030000, 3). */
  private static final ByteString X = bytes("000380a0abfef9623ff00000000000009875c25fff6c06");
  private static final long T0 = 1700000000000L;

  private static ByteString bytes(String hex) {
    return ByteString.copyFrom(HEX.parseHex(hex));
  }

  private static Label label(String name, String value) {
    return Label.newBuilder().setName(name).setValue(value).build();
  }

  private static void assertGolden(Message m, String hex) throws Exception {
    assertThat(HEX.formatHex(m.toByteArray())).isEqualTo(hex);
    assertThat(m.getParserForType().parseFrom(HEX.parseHex(hex))).isEqualTo(m);
  }

  @Test
  void g1SeriesRequest() throws Exception {
    SeriesRequest req = SeriesRequest.newBuilder()
        .setMinTime(T0)
        .setMaxTime(1700003600000L)
        .addMatchers(LabelMatcher.newBuilder().setType(LabelMatcher.Type.EQ).setName("__name__").setValue("up"))
        .addMatchers(LabelMatcher.newBuilder().setType(LabelMatcher.Type.RE).setName("job").setValue("api|web"))
        .setMaxResolutionWindow(300000)
        .addAggregates(Aggr.COUNT)
        .addAggregates(Aggr.SUM)
        .setPartialResponseStrategy(PartialResponseStrategy.ABORT)
        .addWithoutReplicaLabels("replica")
        .build();
    assertGolden(req, "0880d095ffbc311080adf180bd311a0e12085f5f6e616d655f5f1a0275701a10080212036a6f621a076170697c776562"
        + "20e0a7122a020102380172077265706c696361");
  }

  @Test
  void g1DecodesMissingEnumAsZero() throws Exception {
    SeriesRequest req = SeriesRequest.parseFrom(HEX.parseHex("1a0e12085f5f6e616d655f5f1a027570"));
    assertThat(req.getMatchers(0).getType()).isEqualTo(LabelMatcher.Type.EQ);
  }

  @Test
  void responseBatchSizeTakesTwoByteTag() {
    SeriesRequest req = SeriesRequest.newBuilder().setResponseBatchSize(1).build();
    assertThat(HEX.formatHex(req.toByteArray())).isEqualTo("800101");
  }

  @Test
  void g2SeriesFrame() throws Exception {
    SeriesResponse resp = SeriesResponse.newBuilder()
        .setSeries(Series.newBuilder()
            .addLabels(label("__name__", "up"))
            .addLabels(label("job", "api"))
            .addChunks(AggrChunk.newBuilder()
                .setMinTime(T0)
                .setMaxTime(1700000030000L)
                .setRaw(Chunk.newBuilder().setType(Chunk.Encoding.XOR).setData(X))))
        .build();
    assertGolden(resp, "0a470a0e0a085f5f6e616d655f5f120275700a0a0a036a6f62120361706912290880d095ffbc3110b0ba97ffbc311a19"
        + "1217000380a0abfef9623ff00000000000009875c25fff6c06");
  }

  @Test
  void g3HintsFrame() throws Exception {
    SeriesResponseHints hints = SeriesResponseHints.newBuilder()
        .addQueriedBlocks(Block.newBuilder().setId("01DRBP4RNVZ94135ZA6B10EMRR"))
        .build();
    Any any = Any.pack(hints);
    assertThat(any.getTypeUrl()).isEqualTo("type.googleapis.com/hintspb.SeriesResponseHints");
    SeriesResponse resp = SeriesResponse.newBuilder().setHints(any).build();
    assertGolden(resp, "1a510a2f747970652e676f6f676c65617069732e636f6d2f68696e747370622e536572696573526573706f6e73654869"
        + "6e7473121e0a1c0a1a30314452425034524e565a39343133355a4136423130454d5252");
    assertThat(SeriesResponse.parseFrom(resp.toByteArray()).getHints().unpack(SeriesResponseHints.class))
        .isEqualTo(hints);
  }

  @Test
  void g4InfoResponseOfASidecar() throws Exception {
    ZLabelSet ls = ZLabelSet.newBuilder().addLabels(label("cluster", "eu")).addLabels(label("replica", "a")).build();
    InfoResponse resp = InfoResponse.newBuilder()
        .addLabelSets(ls)
        .setComponentType("sidecar")
        .setStore(StoreInfo.newBuilder()
            .setMinTime(T0)
            .setMaxTime(Long.MAX_VALUE)
            .setSupportsSharding(true)
            .setSupportsWithoutReplicaLabels(true)
            .addTsdbInfos(TSDBInfo.newBuilder().setLabels(ls).setMinTime(T0).setMaxTime(Long.MAX_VALUE)))
        .setRules(RulesInfo.getDefaultInstance())
        .setMetricMetadata(MetricMetadataInfo.getDefaultInstance())
        .setTargets(TargetsInfo.getDefaultInstance())
        .setExemplars(ExemplarsInfo.getDefaultInstance())
        .setStatus(StatusInfo.getDefaultInstance())
        .build();
    assertGolden(resp, "0a1d0a0d0a07636c7573746572120265750a0c0a077265706c6963611201611207736964656361721a470880d095ffbc"
        + "3110ffffffffffffffff7f1801280132300a1d0a0d0a07636c7573746572120265750a0c0a077265706c6963611201611080d0"
        + "95ffbc3118ffffffffffffffff7f22002a0032003a004a00");
    InfoResponse back = InfoResponse.parseFrom(resp.toByteArray());
    assertThat(back.hasRules()).isTrue();
    assertThat(back.hasQuery()).isFalse();
  }

  @Test
  void g5ChunkedReadResponseAndFrame() throws Exception {
    ChunkedReadResponse msg = ChunkedReadResponse.newBuilder()
        .addChunkedSeries(ChunkedSeries.newBuilder()
            .addLabels(label("__name__", "up"))
            .addLabels(label("job", "api"))
            .addChunks(dev.orrery.storeapi.proto.prompb.Chunk.newBuilder()
                .setMinTimeMs(T0)
                .setMaxTimeMs(1700000030000L)
                .setType(dev.orrery.storeapi.proto.prompb.Chunk.Encoding.XOR)
                .setData(X)))
        .build();
    String hex = "0a470a0e0a085f5f6e616d655f5f120275700a0a0a036a6f62120361706912290880d095ffbc3110b0ba97ffbc311801221700"
        + "0380a0abfef9623ff00000000000009875c25fff6c06";
    assertGolden(msg, hex);
    CRC32C crc = new CRC32C();
    crc.update(msg.toByteArray());
    assertThat(String.format("%08x", crc.getValue())).isEqualTo("7613e894");
  }

  @Test
  void g6ReadRequest() throws Exception {
    ReadRequest req = ReadRequest.newBuilder()
        .addQueries(Query.newBuilder()
            .setStartTimestampMs(T0)
            .setEndTimestampMs(1700000030000L)
            .addMatchers(dev.orrery.storeapi.proto.prompb.LabelMatcher.newBuilder()
                .setType(dev.orrery.storeapi.proto.prompb.LabelMatcher.Type.EQ)
                .setName("__name__")
                .setValue("up")))
        .addAcceptedResponseTypes(ReadRequest.ResponseType.STREAMED_XOR_CHUNKS)
        .addAcceptedResponseTypes(ReadRequest.ResponseType.SAMPLES)
        .build();
    assertGolden(req, "0a1e0880d095ffbc3110b0ba97ffbc311a0e12085f5f6e616d655f5f1a02757012020100");
  }

  /** The metadata API's messages, from the field numbers of Thanos' {@code metadatapb/rpc.proto}. */
  @Test
  void metricMetadataMessages() throws Exception {
    // metric=1 "up"; limit=2 -1 (an int32, sign-extended to ten bytes); partial_response_strategy=3 ABORT.
    assertGolden(MetricMetadataRequest.newBuilder().setMetric("up").setLimit(-1)
        .setPartialResponseStrategy(PartialResponseStrategy.ABORT).build(), "0a027570" + "10ffffffffffffffffff01"
        + "1801");
    // metadata=1 {map entry: key=1 "up", value=2 {metas=2 [{type=1 "gauge", help=2 "h"}]}}; unit "" not written.
    assertGolden(MetricMetadataResponse.newBuilder().setMetadata(MetricMetadata.newBuilder().putMetadata("up",
        MetricMetadataEntry.newBuilder().addMetas(Meta.newBuilder().setType("gauge").setHelp("h")).build())).build(),
        "0a14" + "0a12" + "0a027570" + "120c" + "120a" + "0a056761756765" + "120168");
    // warning=2 "w".
    assertGolden(MetricMetadataResponse.newBuilder().setWarning("w").build(), "120177");
  }

  /** The rules API's request, from the field numbers of Thanos' {@code rulespb/rpc.proto}. */
  @Test
  void rulesMessages() throws Exception {
    // type=1 ALERT; partial_response_strategy=2 ABORT; rule_name=4 "Down".
    assertGolden(RulesRequest.newBuilder().setType(RulesRequest.Type.ALERT)
        .setPartialResponseStrategy(PartialResponseStrategy.ABORT).addRuleName("Down").build(),
        "0801" + "1001" + "2204446f776e");
    // warning=2 "w".
    assertGolden(RulesResponse.newBuilder().setWarning("w").build(), "120177");
    // group=1 {name=1 "g", rules=3 [{recording=1 {name=1 "r"}}], limit=9 5}.
    assertGolden(RulesResponse.newBuilder().setGroup(RuleGroup.newBuilder().setName("g")
        .addRules(Rule.newBuilder().setRecording(RecordingRule.newBuilder().setName("r"))).setLimit(5)).build(),
        "0a0c" + "0a0167" + "1a05" + "0a03" + "0a0172" + "4805");
  }

  /** The exemplars API's messages, from the field numbers of Thanos' {@code exemplarspb/rpc.proto}. */
  @Test
  void exemplarsMessages() throws Exception {
    // query=1 "up"; start=2 1; end=3 2; partial_response_strategy=4 ABORT.
    assertGolden(ExemplarsRequest.newBuilder().setQuery("up").setStart(1).setEnd(2)
        .setPartialResponseStrategy(PartialResponseStrategy.ABORT).build(), "0a027570" + "1001" + "1802" + "2001");
    // data=1 {seriesLabels=1 {labels=1 [a="b"]}, exemplars=2 [{value=2 1.0 (fixed64), ts=3 5}]}.
    assertGolden(ExemplarsResponse.newBuilder().setData(ExemplarData.newBuilder()
        .setSeriesLabels(LabelSet.newBuilder().addLabels(label("a", "b")))
        .addExemplars(Exemplar.newBuilder().setValue(1.0).setTs(5))).build(),
        "0a17" + "0a08" + "0a06" + "0a0161" + "120162" + "120b" + "11000000000000f03f" + "1805");
    assertGolden(ExemplarsResponse.newBuilder().setWarning("w").build(), "120177");
  }

  /** The targets API's request, from the field numbers of Thanos' {@code targetspb/rpc.proto}. */
  @Test
  void targetsMessages() throws Exception {
    // state=1 DROPPED; partial_response_strategy=2 ABORT.
    assertGolden(TargetsRequest.newBuilder().setState(TargetsRequest.State.DROPPED)
        .setPartialResponseStrategy(PartialResponseStrategy.ABORT).build(), "0802" + "1001");
    // targets=1 {activeTargets=1 [{scrapePool=3 "p", health=9 UP}]}.
    assertGolden(TargetsResponse.newBuilder().setTargets(TargetDiscovery.newBuilder().addActiveTargets(
        ActiveTarget.newBuilder().setScrapePool("p").setHealth(TargetHealth.UP))).build(),
        "0a07" + "0a05" + "1a0170" + "4801");
  }

  @Test
  void serviceAndMethodNamesEqualThanos() {
    assertThat(StoreGrpc.SERVICE_NAME).isEqualTo("thanos.Store");
    assertThat(StoreGrpc.getSeriesMethod().getFullMethodName()).isEqualTo("thanos.Store/Series");
    assertThat(StoreGrpc.getSeriesMethod().getType()).isEqualTo(MethodType.SERVER_STREAMING);
    assertThat(StoreGrpc.getLabelNamesMethod().getFullMethodName()).isEqualTo("thanos.Store/LabelNames");
    assertThat(StoreGrpc.getLabelNamesMethod().getType()).isEqualTo(MethodType.UNARY);
    assertThat(StoreGrpc.getLabelValuesMethod().getFullMethodName()).isEqualTo("thanos.Store/LabelValues");
    assertThat(StoreGrpc.getLabelValuesMethod().getType()).isEqualTo(MethodType.UNARY);
    assertThat(MetadataGrpc.SERVICE_NAME).isEqualTo("thanos.Metadata");
    assertThat(MetadataGrpc.getMetricMetadataMethod().getFullMethodName())
        .isEqualTo("thanos.Metadata/MetricMetadata");
    assertThat(MetadataGrpc.getMetricMetadataMethod().getType()).isEqualTo(MethodType.SERVER_STREAMING);
    assertThat(RulesGrpc.getRulesMethod().getFullMethodName()).isEqualTo("thanos.Rules/Rules");
    assertThat(RulesGrpc.getRulesMethod().getType()).isEqualTo(MethodType.SERVER_STREAMING);
    assertThat(ExemplarsGrpc.getExemplarsMethod().getFullMethodName()).isEqualTo("thanos.Exemplars/Exemplars");
    assertThat(ExemplarsGrpc.getExemplarsMethod().getType()).isEqualTo(MethodType.SERVER_STREAMING);
    assertThat(TargetsGrpc.getTargetsMethod().getFullMethodName()).isEqualTo("thanos.Targets/Targets");
    assertThat(TargetsGrpc.getTargetsMethod().getType()).isEqualTo(MethodType.SERVER_STREAMING);
    assertThat(InfoGrpc.SERVICE_NAME).isEqualTo("thanos.info.Info");
    assertThat(InfoGrpc.getInfoMethod().getFullMethodName()).isEqualTo("thanos.info.Info/Info");
    assertThat(InfoGrpc.getInfoMethod().getType()).isEqualTo(MethodType.UNARY);
    assertThat(dev.orrery.storeapi.proto.thanos.WriteableStoreGrpc.getRemoteWriteMethod().getFullMethodName())
        .isEqualTo("thanos.WriteableStore/RemoteWrite");
  }

  @Test
  void protoPackagesEqualThanos() {
    assertThat(SeriesRequest.getDescriptor().getFullName()).isEqualTo("thanos.SeriesRequest");
    assertThat(InfoResponse.getDescriptor().getFullName()).isEqualTo("thanos.info.InfoResponse");
    assertThat(MetricMetadataRequest.getDescriptor().getFullName()).isEqualTo("thanos.MetricMetadataRequest");
    assertThat(SeriesResponseHints.getDescriptor().getFullName()).isEqualTo("hintspb.SeriesResponseHints");
    assertThat(ReadRequest.getDescriptor().getFullName()).isEqualTo("prometheus_copy.ReadRequest");
  }
}
